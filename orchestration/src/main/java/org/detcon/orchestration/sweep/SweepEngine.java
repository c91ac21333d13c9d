package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.runs.Step;
import org.detcon.orchestration.runs.StepRunner;
import org.detcon.trainer.checkpoint.BackboneExport;

/**
 * Runs what a {@link SweepPlan} still needs: data → masks → each cell's pretraining → its evaluations, each step
 * reused when the run store has it DONE with outputs that still verify, otherwise run on the {@link StepExecutor}
 * (up to its parallelism at once) and recorded. A failed step is retried up to {@code retries} times, recorded with
 * its error, and stops only what depends on it: the other cells go on. An evaluation is keyed by the weights it
 * evaluates, so backbones with identical weights (e.g. the initialisation shared by methods of the same seed) are
 * evaluated once.
 *
 * <p>Interrupted anywhere (Ctrl-C, kill -9) and run again: finished steps are reused, an interrupted pretraining
 * continues from its newest checkpoint.
 */
public final class SweepEngine {

    /** What a run of the sweep did; {@code failures}: one line per cell that did not finish. */
    public record Outcome(long runId, int ran, int reused, List<String> failures, double seconds) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private enum State { WAITING, RUNNING, DONE, FAILED, BLOCKED }

    /** A step of this run: the planned step, what it waits for, its state and result. */
    private final class Node implements Step {
        final PlannedStep planned;
        final String label;
        final List<Node> deps;
        final TreeSet<Integer> cells = new TreeSet<>();
        State state = State.WAITING;
        int attempts;
        boolean peerNoted;
        long recordId;
        String error;
        StepRunner.Result result;

        Node(PlannedStep planned, String label, List<Node> deps) {
            this.planned = planned;
            this.label = label;
            this.deps = deps;
            if (planned.cell() >= 0) {
                cells.add(planned.cell());
            }
        }

        String id() {
            return planned.kind().label() + "-" + planned.key();
        }

        @Override
        public String name() {
            return planned.name();
        }

        @Override
        public Map<String, String> inputs() {
            return planned.inputs();
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public Outcome execute() {
            throw new UnsupportedOperationException("executed by the sweep's executor");
        }
    }

    private record Completion(Node node, Step.Outcome outcome, String error, boolean lostAttempt) {
    }

    private final SweepPlan plan;
    private final StepExecutor executor;
    private final int retries;
    private final PrintWriter out;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byKey = new HashMap<>();
    private final Map<Integer, List<Node>> evalNodes = new HashMap<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final java.util.Set<String> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private SweepProgress progress;
    private RunStore store;
    private StepRunner runner;
    private int ran;
    private int reused;

    private SweepEngine(SweepPlan plan, StepExecutor executor, int retries, PrintWriter out) {
        this.plan = plan;
        this.executor = executor;
        this.retries = retries;
        this.out = out;
    }

    /** Runs the plan's missing steps; the run is recorded in {@code WORKDIR/.detcon/runs.mv.db}. */
    public static Outcome run(SweepPlan plan, StepExecutor executor, int retries, PrintWriter out) throws Exception {
        return new SweepEngine(plan, executor, retries, out).run();
    }

    /** {@code step} with its pretraining config's {@code torch_threads} set when the config leaves it to the engine. */
    static PlannedStep withThreads(PlannedStep step, int threads) {
        if (step.kind() != StepKind.PRETRAIN || step.spec().path("config").path("torch_threads").asInt(0) != 0) {
            return step;
        }
        ObjectNode spec = step.spec().deepCopy();
        ((ObjectNode) spec.get("config")).put("torch_threads", threads);
        return new PlannedStep(step.kind(), step.name(), step.key(), step.inputs(), spec, step.cell());
    }

    private Outcome run() throws Exception {
        Path work = plan.workdir();
        SweepFile f = plan.file();
        Node data = plan.data() == null ? null : add(new Node(plan.data(), "data: " + f.data().synth().images()
                + " train + " + f.data().synth().valImages() + " val scenes at " + f.data().synth().size() + " px",
                List.of()));
        Node masks = plan.masks() == null ? null : add(new Node(plan.masks(), "masks " + f.masks().sets() + " on "
                + f.masks().runner(), data == null ? List.of() : List.of(data)));
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Cell c : plan.cells()) {
            Node n = add(new Node(plan.pretrainOf(c), "pretrain " + c.label(), masks == null ? List.of()
                    : List.of(masks)));
            totals.put(n.id(), c.train().steps());
        }
        int evalTargets = plan.evals().size();
        int parallel = executor.parallelism();
        progress = new SweepProgress(out, nodes.size() + evalTargets, plan.cells().size(), parallel, totals,
                evalTargets);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        try (RunStore store = RunStore.open(work, plan.storeUrl())) {
            this.store = store;
            store.onLeaseLost(key -> {
                lost.add(key);
                executor.cancel(key);
            });
            long runId = store.startRun("sweep", Planner.digest(plan), f.name() + " (" + f.file() + ")");
            runner = new StepRunner(store, runId, work, out);
            progress.line(String.format(Locale.ROOT, "sweep %s: %d cells, %d steps; up to %d at once (%d PyTorch"
                    + " threads each); run %d in %s", f.name(), plan.cells().size(), nodes.size() + evalTargets,
                    parallel, threads, runId, store.describe()));
            ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
                Thread t = new Thread(r, "detcon-sweep-step");
                t.setDaemon(true);
                return t;
            });
            List<String> failures;
            try {
                schedule(pool, work, threads);
                failures = failures();
                store.finishRun(runId, failures.isEmpty() ? "DONE" : "FAILED");
            } catch (Exception | Error e) {
                store.finishRun(runId, "FAILED");
                throw e;
            } finally {
                pool.shutdownNow();
            }
            return new Outcome(runId, ran, reused, failures, progress.elapsed());
        }
    }

    private Node add(Node n) {
        if (!StepRunner.key(n.planned.name(), n.planned.inputs()).equals(n.planned.key())) {
            throw new IllegalStateException("step " + n.label + ": key does not match its inputs");
        }
        nodes.add(n);
        byKey.put(n.planned.key(), n);
        return n;
    }

    private void schedule(ExecutorService pool, Path work, int threads) throws Exception {
        int running = 0;
        while (true) {
            boolean changed = false;
            boolean peers = false;
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (n.state != State.WAITING) {
                    continue;
                }
                Optional<Node> bad = n.deps.stream().filter(d -> d.state == State.FAILED || d.state == State.BLOCKED)
                        .findFirst();
                if (bad.isPresent()) {
                    n.state = State.BLOCKED;
                    n.error = "not run: " + bad.get().planned.kind().label() + " failed";
                    progress.skipped(n.id(), n.label, n.planned.kind(), n.error);
                    changed = true;
                    continue;
                }
                if (!n.deps.stream().allMatch(d -> d.state == State.DONE)) {
                    continue;
                }
                if (reused(n)) {
                    changed = true;
                    continue;
                }
                if (running >= executor.parallelism()) {
                    continue;
                }
                Optional<Long> id = runner.tryBegin(n);
                if (id.isEmpty()) {
                    if (reused(n)) { // a peer finished it meanwhile
                        changed = true;
                        continue;
                    }
                    if (!n.peerNoted) {
                        Optional<RunStore.Lease> l = store.lease(n.planned.key());
                        progress.line(String.format(Locale.ROOT, "      wait   %s: running in another process%s",
                                n.label, l.map(x -> String.format(Locale.ROOT, " (%s, lease %.0f s left)", x.owner(),
                                        x.secondsLeft())).orElse("")));
                        n.peerNoted = true;
                    }
                    peers = true;
                    continue;
                }
                start(pool, n, id.get(), work, threads);
                running++;
                changed = true;
            }
            if (running == 0 && !changed && !peers) {
                return;
            }
            if (!changed || running == executor.parallelism()) {
                Completion c = peers ? completions.poll(PEER_POLL_MILLIS, TimeUnit.MILLISECONDS) : completions.take();
                if (c != null) {
                    handle(c);
                    running--;
                }
            }
        }
    }

    private static final long PEER_POLL_MILLIS = 500;

    /** Reuses {@code n} when the store has it done with outputs that verify. */
    private boolean reused(Node n) throws IOException {
        Optional<StepRunner.Result> r = runner.reuse(n);
        if (r.isEmpty()) {
            return false;
        }
        n.result = r.get();
        n.state = State.DONE;
        reused++;
        progress.reused(n.id(), n.label, n.planned.kind());
        settled(n);
        return true;
    }

    private void start(ExecutorService pool, Node n, long recordId, Path work, int threads) {
        n.state = State.RUNNING;
        n.attempts++;
        n.recordId = recordId;
        progress.started(n.id(), n.label + (n.attempts > 1 ? " (attempt " + n.attempts + ")" : ""));
        StepEvents events = new StepEvents() {
            @Override
            public void progress(long done, long total, double loss, double imgPerSec) {
                progress.progress(n.id(), done, total, loss);
            }

            @Override
            public void note(String line) {
                progress.line("      " + line);
            }

            @Override
            public void placed(String where) {
                runner.placed(recordId, where);
                progress.line("      " + n.label + " on " + where);
            }
        };
        pool.submit(() -> {
            try {
                completions.add(new Completion(n, executor.execute(n.planned, work, threads, events), null, false));
            } catch (StepExecutor.Lost l) {
                completions.add(new Completion(n, null, reason(l), true));
            } catch (Throwable t) {
                completions.add(new Completion(n, null, reason(t), false));
            }
        });
    }

    /** A failure as one line: the deepest message that says something. */
    static String reason(Throwable t) {
        String msg = t.getMessage();
        Throwable c = t;
        while ((msg == null || msg.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            msg = c.getMessage();
        }
        String s = msg == null || msg.isBlank() ? c.toString() : msg;
        return s.lines().findFirst().orElse(s);
    }

    private void handle(Completion c) throws IOException {
        Node n = c.node();
        if (lost.remove(n.planned.key())) {
            // another process took the step over (this one's lease expired): its result counts, not ours
            runner.interrupted(n.recordId, "the step's lease went to another process");
            n.state = State.WAITING;
            n.attempts--;
            progress.failed(n.id(), n.label, n.planned.kind(), "the lease went to another process; waiting for it",
                    true);
            return;
        }
        if (c.lostAttempt()) {
            // the machine running it went away: not a failure of the step; it runs again elsewhere
            runner.lost(n.recordId, c.error());
            n.state = State.WAITING;
            n.attempts--;
            progress.failed(n.id(), n.label, n.planned.kind(), c.error(), true);
            return;
        }
        if (c.error() == null) {
            n.result = runner.finish(n.recordId, c.outcome());
            n.state = State.DONE;
            ran++;
            progress.done(n.id(), n.label, n.planned.kind(), detail(n));
            settled(n);
            return;
        }
        runner.fail(n.recordId, c.error());
        n.error = c.error();
        boolean retry = n.attempts <= retries;
        n.state = retry ? State.WAITING : State.FAILED;
        progress.failed(n.id(), n.label, n.planned.kind(), c.error(), retry);
    }

    /** After a step is DONE: a pretraining step's evaluations can be made; a cell may be complete. */
    private void settled(Node n) throws IOException {
        if (n.planned.kind() == StepKind.PRETRAIN) {
            Cell cell = plan.cells().get(n.planned.cell());
            List<Node> evals = new ArrayList<>();
            for (SweepPlan.EvalTarget t : plan.evalsOf(cell)) {
                String backbone = n.result.output(StepWork.backboneOutput(t.step()));
                String weights;
                try (ObjectStore store = ObjectStores.open(backbone)) {
                    weights = BackboneExport.descriptor(store).sha256();
                }
                PlannedStep step = t.step(weights, backbone);
                Node e = byKey.get(step.key());
                if (e == null) {
                    e = add(new Node(step, "eval " + t.label() + " " + cell.label(), List.of(n)));
                } else {
                    progress.skipped(e.id() + "@" + cell.index(), "eval " + t.label() + " " + cell.label(),
                            StepKind.EVAL, "the same weights as " + e.label);
                }
                e.cells.add(cell.index());
                evals.add(e);
            }
            evalNodes.put(cell.index(), evals);
        }
        for (int cell : n.cells) {
            if (cellComplete(cell)) {
                progress.cellDone();
            }
        }
    }

    private boolean cellComplete(int cell) {
        Node pre = byKey.get(plan.pretrain().get(cell).key());
        List<Node> evals = evalNodes.get(cell);
        return pre.state == State.DONE && evals != null && evals.stream().allMatch(e -> e.state == State.DONE);
    }

    private static String detail(Node n) {
        Map<String, Double> m = n.result.metrics();
        return switch (n.planned.kind()) {
            case DATA -> String.format(Locale.ROOT, "%.0f images", m.getOrDefault("images", 0.0));
            case MASKS -> String.format(Locale.ROOT, "%.0f samples, %.0f rejected", m.getOrDefault("samples", 0.0),
                    m.getOrDefault("rejected", 0.0));
            case PRETRAIN -> m.containsKey("last_loss") ? String.format(Locale.ROOT, "%.0f steps, loss %.4f -> %.4f",
                    m.get("steps_run"), m.get("first_loss"), m.get("last_loss")) : "already complete";
            case EVAL -> {
                StringBuilder sb = new StringBuilder();
                m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", v)));
                yield sb.toString();
            }
        };
    }

    /** One line per cell that did not finish, with the first reason. */
    private List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Cell c : plan.cells()) {
            Node pre = byKey.get(plan.pretrain().get(c.index()).key());
            String why = null;
            if (pre.state != State.DONE) {
                why = "pretrain " + (pre.state == State.BLOCKED ? pre.error : "failed: " + pre.error);
            } else {
                for (Node e : evalNodes.getOrDefault(c.index(), List.of())) {
                    if (e.state != State.DONE) {
                        why = e.label.split(" ")[0] + " " + e.label.split(" ")[1] + " failed: " + e.error;
                        break;
                    }
                }
            }
            if (why != null) {
                out.add("cell " + c.label() + " (" + c.id() + "): " + why);
            }
        }
        return out;
    }
}
