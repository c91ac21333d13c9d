package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.OutputLocation;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.runs.StepRunner;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.run.TrainingRun;

/**
 * What the run store knows of a plan's steps, without running or re-verifying anything (for {@code sweep plan},
 * {@code sweep status} and the report): each step's state from its newest record, each cell's evaluation values
 * by column and pretraining step, and its loss curve.
 */
public record SweepResults(SweepPlan plan, StepState data, StepState masks, List<CellResult> cells) {

    /** A step's state: done, running, interrupted, failed (with the error), or pending; attempts and seconds. */
    public record StepState(String status, String error, int attempts, double seconds, String key,
            Map<String, String> outputs, Map<String, Double> metrics) {
        static final StepState PENDING = new StepState("pending", null, 0, Double.NaN, null, Map.of(), Map.of());

        public boolean done() {
            return status.equals("done");
        }
    }

    /** One evaluation of a cell: its target, its state ({@code pending} until the backbone exists). */
    public record EvalState(SweepPlan.EvalTarget target, long step, StepState state) {
    }

    /**
     * A cell's pretraining state, its evaluations, and its loss curve ({step, loss} per logged step).
     *
     * @param totalSteps the pretraining length (0 while unknown)
     */
    public record CellResult(Cell cell, StepState pretrain, List<EvalState> evals, long totalSteps,
            List<double[]> loss) {

        /** The value of {@code eval.metric} at pretraining step {@code step}, when evaluated. */
        public Optional<Double> value(String eval, String metric, long step) {
            for (EvalState e : evals) {
                if (e.target().eval().equals(eval) && e.step() == step && e.state().done()) {
                    Double v = e.state().metrics().get(metric);
                    return Optional.ofNullable(v);
                }
            }
            return Optional.empty();
        }

        /** The state of the evaluation of {@code eval} at {@code step}. */
        public StepState evalState(String eval, long step) {
            return evals.stream().filter(e -> e.target().eval().equals(eval) && e.step() == step).map(EvalState::state)
                    .findFirst().orElse(StepState.PENDING);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plan's states in {@code store} (null: nothing has run, every step is pending). */
    public static SweepResults read(SweepPlan plan, RunStore store) throws IOException {
        StepState data = plan.data() == null ? null : state(store, plan.data().key());
        StepState masks = plan.masks() == null ? null : state(store, plan.masks().key());
        List<CellResult> cells = new ArrayList<>();
        for (Cell c : plan.cells()) {
            StepState pre = state(store, plan.pretrainOf(c).key());
            long total = c.train().steps();
            List<double[]> loss = new ArrayList<>();
            List<EvalState> evals = new ArrayList<>();
            if (pre.done()) {
                total = pre.metrics().getOrDefault("steps", (double) total).longValue();
                loss = lossCurve(OutputLocation.resolve(plan.outputOf(plan.pretrainOf(c)), TrainingRun.METRICS_FILE));
            }
            for (SweepPlan.EvalTarget t : plan.evalsOf(c)) {
                long step = t.step() == SweepPlan.FINAL ? total : t.step();
                StepState s = StepState.PENDING;
                String out = pre.outputs().get(StepWork.backboneOutput(t.step()));
                if (pre.done() && out != null) {
                    String backbone = StepRunner.resolve(plan.workdir(), out);
                    Optional<String> weights = weights(backbone);
                    if (weights.isPresent()) {
                        s = state(store, t.step(weights.get(), backbone).key());
                    }
                }
                evals.add(new EvalState(t, step, s));
            }
            cells.add(new CellResult(c, pre, evals, total, loss));
        }
        return new SweepResults(plan, data, masks, cells);
    }

    /** The sha256 of the weights of the backbone export at {@code uri}; empty when there is none (any more). */
    private static Optional<String> weights(String uri) throws IOException {
        try (ObjectStore st = ObjectStores.open(uri)) {
            if (!st.exists(BackboneExport.DESCRIPTOR)) {
                return Optional.empty();
            }
            return Optional.of(BackboneExport.descriptor(st).sha256());
        }
    }

    /** A step's state from its records: done if any execution or reuse finished, else the newest record's. */
    static StepState state(RunStore store, String key) {
        List<RunStore.StepRecord> h = store == null ? List.of() : store.history(key);
        if (h.isEmpty()) {
            return StepState.PENDING;
        }
        int attempts = (int) h.stream().filter(r -> r.attempt() > 0).count();
        for (int i = h.size() - 1; i >= 0; i--) {
            RunStore.StepRecord r = h.get(i);
            if (r.status().equals("DONE") || r.status().equals("REUSED")) {
                double secs = h.stream().filter(x -> x.status().equals("DONE")).reduce((a, b) -> b)
                        .map(RunStore.StepRecord::seconds).orElse(Double.NaN);
                return new StepState("done", null, attempts, secs, key, r.outputs(), r.metrics());
            }
        }
        RunStore.StepRecord last = h.get(h.size() - 1);
        String status = switch (last.status()) {
            case "RUNNING" -> "running";
            case "FAILED" -> "failed";
            default -> "interrupted";
        };
        return new StepState(status, last.error(), attempts, last.seconds(), key, Map.of(), Map.of());
    }

    /** (step, loss) of each line of a run's metrics.jsonl (a local path or URI). */
    static List<double[]> lossCurve(String metrics) throws IOException {
        List<double[]> out = new ArrayList<>();
        Optional<byte[]> bytes = ObjectStores.read(metrics);
        if (bytes.isEmpty()) {
            return out;
        }
        String text = new String(bytes.get(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = JSON.readTree(line);
            out.add(new double[] {o.get("step").asDouble() + 1, o.get("loss").asDouble()});
        }
        return out;
    }

    /** Counts of step states, for summaries: "3 done, 1 failed, 8 pending". */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        List<StepState> all = new ArrayList<>();
        if (data != null) {
            all.add(data);
        }
        if (masks != null) {
            all.add(masks);
        }
        for (CellResult c : cells) {
            all.add(c.pretrain());
            c.evals().forEach(e -> all.add(e.state()));
        }
        for (StepState s : all) {
            m.merge(s.status(), 1, Integer::sum);
        }
        return m;
    }
}
