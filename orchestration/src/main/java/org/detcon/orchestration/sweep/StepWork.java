package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.detcon.core.store.FileTrees;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.orchestration.runs.Step;
import org.detcon.orchestration.synth.SynthDataset;
import org.detcon.segmentation.pipeline.MaskPipeline;
import org.detcon.segmentation.pipeline.MaskPipelineConfig;
import org.detcon.segmentation.pipeline.MaskRunResult;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.segmentation.pipeline.RunnerSetup;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;
import org.detcon.trainer.run.listener.BackboneExporter;

/**
 * The work of one sweep step in this JVM, from its {@link PlannedStep#spec()}: the same code whether the engine
 * runs it in process or a child JVM runs it ({@code detcon sweep exec}). Outputs go to the step's folder
 * {@code WORKDIR/steps/KIND/KEY16/}:
 * <ul>
 *   <li>data: {@code detcon data synth}'s layout → output {@code dataset};</li>
 *   <li>masks: the Beam mask pipeline (embedded Flink or direct) over the images → {@code shards};</li>
 *   <li>pretrain: {@link TrainingRun} (resumes from its newest checkpoint) → {@code backbone}, {@code metrics} and
 *   {@code backbone@N} for each exported step;</li>
 *   <li>eval: the registered eval on a backbone → {@code result} ({@code result.json}).</li>
 * </ul>
 */
public final class StepWork {

    private StepWork() {
    }

    /** Output name of the backbone exported at {@code step} ({@code backbone} for the final one). */
    public static String backboneOutput(long step) {
        return step == SweepPlan.FINAL ? "backbone" : "backbone@" + step;
    }

    /**
     * Runs {@code step}. {@code notes} receives lines for the operator (the Flink dashboard's URL);
     * {@code progress} listens to pretraining (null: none).
     */
    public static Step.Outcome run(PlannedStep step, Path workdir, Consumer<String> notes,
            TrainingListener progress) throws Exception {
        Path out = workdir.toAbsolutePath().resolve(step.dir());
        ObjectNode spec = step.spec();
        return switch (step.kind()) {
            case DATA -> data(spec, out);
            case MASKS -> masks(spec, out, notes);
            case PRETRAIN -> pretrain(spec, out, progress);
            case EVAL -> eval(spec, out);
        };
    }

    private static Step.Outcome data(ObjectNode spec, Path out) throws IOException {
        SynthDataset.Params p = new SynthDataset.Params(spec.get("images").asInt(), spec.get("val_images").asInt(),
                spec.get("size").asInt(), spec.get("seed").asLong());
        if (!SynthDataset.isComplete(out, p)) {
            SynthDataset.write(out, p, null);
        }
        return new Step.Outcome(Map.of("dataset", out), Map.of("images", (double) (p.trainImages()
                + p.valImages())));
    }

    private static Step.Outcome masks(ObjectNode spec, Path out, Consumer<String> notes) throws Exception {
        FileTrees.delete(out); // a half-written attempt
        List<MaskSetSpec> sets = new ArrayList<>();
        for (JsonNode s : spec.get("sets")) {
            sets.add(MaskSetSpec.parse(s.asText()));
        }
        MaskPipelineConfig mc = MaskPipelineConfig.images(spec.get("input").asText(), sets, out.toString())
                .withDatasetAndSplit("sweep", "train");
        int parallelism = spec.get("parallelism").asInt();
        RunnerSetup.Prepared prepared = "direct".equals(spec.get("runner").asText())
                ? RunnerSetup.direct(parallelism) : RunnerSetup.flink("[local]", parallelism, null, List.of());
        ByteArrayOutputStream announced = new ByteArrayOutputStream();
        RunnerSetup.announce(prepared, new PrintStream(announced, true, StandardCharsets.UTF_8));
        announced.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(notes);
        long t0 = System.nanoTime();
        MaskRunResult r = MaskPipeline.run(mc, prepared.options());
        if (!r.countsAddUp()) {
            throw new IllegalStateException("mask pipeline counts do not add up: " + r.format().strip());
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("samples", (double) r.manifest().samples());
        m.put("rejected", (double) r.manifest().rejected());
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        return new Step.Outcome(Map.of("shards", out), m);
    }

    private static Step.Outcome pretrain(ObjectNode spec, Path out, TrainingListener progress) throws IOException {
        TrainConfig cfg = TrainConfigYaml.parse(spec.get("config"), "pretrain step " + out.getFileName());
        List<Long> exports = exportSteps(spec);
        TrainingRun.Builder b = TrainingRun.builder(cfg).dataHash(spec.get("data_hash").asText()).exportAt(exports);
        if (progress != null) {
            b.listener(progress);
        }
        TrainingLoop.Result r = b.build().run();
        return pretrainOutcome(out, exports, r.startStep(), r.steps(), r.firstLoss(), r.lastLoss(), r.seconds(),
                r.peakRssBytes());
    }

    /**
     * A pretraining step's outcome from what its run did (here, or a trainer service's job): the outputs in its
     * folder {@code out} and the metrics {@code steps, steps_run, first_loss, last_loss, seconds, peak_rss_mib}.
     */
    static Step.Outcome pretrainOutcome(Path out, List<Long> exports, long startStep, long steps, double firstLoss,
            double lastLoss, double seconds, long peakRssBytes) {
        long total = startStep + steps;
        Map<String, Path> outputs = new LinkedHashMap<>();
        outputs.put("backbone", out.resolve(BackboneExporter.FINAL));
        outputs.put("metrics", out.resolve(TrainingRun.METRICS_FILE));
        for (long s : exports) {
            outputs.put(backboneOutput(s), out.resolve(BackboneExporter.location(s, total)));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("steps", (double) total);
        m.put("steps_run", (double) steps);
        if (steps > 0) {
            m.put("first_loss", firstLoss);
            m.put("last_loss", lastLoss);
        }
        m.put("seconds", seconds);
        m.put("peak_rss_mib", (double) (peakRssBytes >> 20));
        return new Step.Outcome(outputs, m);
    }

    /** The steps whose backbones a pretraining step exports besides the final one. */
    static List<Long> exportSteps(ObjectNode spec) {
        List<Long> exports = new ArrayList<>();
        spec.get("export_steps").forEach(s -> exports.add(s.asLong()));
        return exports;
    }

    private static Step.Outcome eval(ObjectNode spec, Path out) throws IOException {
        Files.deleteIfExists(out.resolve(EVAL_RESULT));
        Map<String, Double> m = EvalJobs.get(spec.get("eval").asText()).run(spec.get("backbone").asText(),
                Path.of(spec.get("data").asText()), (ObjectNode) spec.get("settings"), out);
        return new Step.Outcome(Map.of("result", out.resolve(EVAL_RESULT)), m);
    }

    /** An evaluation's result file in its folder. */
    static final String EVAL_RESULT = "result.json";
}
