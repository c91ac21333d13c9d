package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.FileTrees;
import org.detcon.core.store.ObjectTrees;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.orchestration.runs.OutputLocation;
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
 * {@code OUTPUTS/steps/KIND/KEY16/} (the spec's {@code out}; OUTPUTS is the working directory or an {@code s3://}
 * prefix):
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
        Path work = workdir.toAbsolutePath();
        ObjectNode spec = step.spec();
        String out = output(step);
        return switch (step.kind()) {
            case DATA -> data(spec, out, work);
            case MASKS -> masks(spec, out, notes);
            case PRETRAIN -> pretrain(spec, out, progress);
            case EVAL -> eval(spec, out, work, step.key());
        };
    }

    /** Where the step writes: its folder under the plan's outputs (a local path or a URI). */
    static String output(PlannedStep step) {
        return step.spec().get("out").asText();
    }

    private static Step.Outcome data(ObjectNode spec, String out, Path work) throws IOException {
        SynthDataset.Params p = new SynthDataset.Params(spec.get("images").asInt(), spec.get("val_images").asInt(),
                spec.get("size").asInt(), spec.get("seed").asLong());
        Map<String, Double> m = Map.of("images", (double) (p.trainImages() + p.valImages()));
        if (OutputLocation.isLocal(out)) {
            if (!SynthDataset.isComplete(Path.of(out), p)) {
                SynthDataset.write(Path.of(out), p, null);
            }
            return new Step.Outcome(Map.of("dataset", out), m);
        }
        // generated here, kept as this machine's copy of the object store's data (the evaluations read it)
        Path local = cached(out, work);
        if (!SynthDataset.isComplete(local, p)) {
            Path tmp = Files.createTempDirectory(local.getParent(), ".write-");
            SynthDataset.write(tmp, p, null);
            FileTrees.delete(local);
            Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE);
        }
        ObjectTrees.upload(local, out);
        return new Step.Outcome(Map.of("dataset", out), m);
    }

    private static Step.Outcome masks(ObjectNode spec, String out, Consumer<String> notes) throws Exception {
        ObjectTrees.clear(out); // a half-written attempt
        List<MaskSetSpec> sets = new ArrayList<>();
        for (JsonNode s : spec.get("sets")) {
            sets.add(MaskSetSpec.parse(s.asText()));
        }
        MaskPipelineConfig mc = MaskPipelineConfig.images(spec.get("input").asText(), sets, out)
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

    private static Step.Outcome pretrain(ObjectNode spec, String out, TrainingListener progress) throws IOException {
        TrainConfig cfg = TrainConfigYaml.parse(spec.get("config"), "pretrain step " + out);
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
    static Step.Outcome pretrainOutcome(String out, List<Long> exports, long startStep, long steps,
            double firstLoss, double lastLoss, double seconds, long peakRssBytes) {
        long total = startStep + steps;
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("backbone", OutputLocation.resolve(out, BackboneExporter.FINAL));
        outputs.put("metrics", OutputLocation.resolve(out, TrainingRun.METRICS_FILE));
        for (long s : exports) {
            outputs.put(backboneOutput(s), OutputLocation.resolve(out, BackboneExporter.location(s, total)));
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

    private static Step.Outcome eval(ObjectNode spec, String out, Path work, String key) throws IOException {
        // the evaluations read a local folder: an object store's dataset is copied to this machine once
        String dataUri = spec.get("data").asText();
        Path data = OutputLocation.isLocal(dataUri) ? Path.of(dataUri) : cached(dataUri, work);
        if (!OutputLocation.isLocal(dataUri) && !Files.isDirectory(data)) {
            ObjectTrees.download(dataUri, data);
        }
        boolean local = OutputLocation.isLocal(out);
        Path dir = local ? Path.of(out) : work.resolve(".detcon/eval").resolve(key.substring(0, 16));
        if (local) {
            Files.deleteIfExists(dir.resolve(EVAL_RESULT));
        } else {
            FileTrees.delete(dir);
            Files.createDirectories(dir);
        }
        Map<String, Double> m = EvalJobs.get(spec.get("eval").asText()).run(spec.get("backbone").asText(), data,
                (ObjectNode) spec.get("settings"), dir);
        if (!local) {
            ObjectTrees.clear(out);
            ObjectTrees.upload(dir, out);
            FileTrees.delete(dir);
        }
        return new Step.Outcome(Map.of("result", OutputLocation.resolve(out, EVAL_RESULT)), m);
    }

    /** An evaluation's result file in its folder. */
    static final String EVAL_RESULT = "result.json";

    /** This machine's copy of the object store tree at {@code uri}: {@code WORKDIR/.detcon/cache/SHA16}. */
    static Path cached(String uri, Path work) throws IOException {
        Path dir = work.resolve(".detcon/cache");
        Files.createDirectories(dir);
        return dir.resolve(ContentHash.sha256Hex(uri).substring(0, 16));
    }
}
