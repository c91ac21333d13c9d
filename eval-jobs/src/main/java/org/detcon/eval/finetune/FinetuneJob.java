package org.detcon.eval.finetune;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SampleSource;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.metrics.depth.DepthEvaluation;
import org.detcon.eval.metrics.seg.ConfusionMatrix;
import org.detcon.eval.metrics.seg.SegMetrics;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.IndexedSource;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;

/**
 * A fine-tuning evaluation from a backbone export to {@code result.json}: the task's network is trained by the
 * project's one training loop ({@link TrainingLoop} with a {@link FinetuneLearner} on an {@link IndexedSource} of
 * the training split: {@code run.json}, {@code metrics.jsonl}, checkpoints and exact resume under the output), then
 * the final checkpoint is scored on the validation split ({@link Evaluation}). Running it again on the same output
 * resumes from the newest checkpoint and ends with the same numbers; a finished run is evaluated again from its
 * final checkpoint. With a list of learning rates each value runs in {@code OUT/lr-VALUE/} and {@code result.json}
 * reports the best by the task's main metric (mIoU or δ < 1.25), every value's metrics under {@code per_lr}.
 *
 * <p>Bad training samples (undecodable, label of another size, label values outside the classes and not 255, no
 * valid depth) are skipped, counted and listed ({@code skipped.json} and the result's {@code skipped_samples});
 * a bad validation sample, a missing split or image, or a backbone export that does not verify or does not match
 * {@code backbone.depth} stops the job with one line naming the file.
 */
public final class FinetuneJob {

    public static final String RESULT = "result.json";
    public static final String SKIPPED = "skipped.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FinetuneJob() {
    }

    /**
     * @param savePredictions write {@code predictions/} and {@code gt/}
     * @param maxSteps        stop after this many steps of this invocation (checkpointed; run again to continue)
     * @param progress        where the progress bar and messages go (null: nowhere)
     */
    public record Options(boolean savePredictions, long maxSteps, PrintWriter progress) {
        public static final Options DEFAULT = new Options(false, Long.MAX_VALUE, null);
    }

    /**
     * What an invocation did: {@code result.json}'s content and its metrics when the run is complete (null when
     * it stopped at {@code --max-steps}), and the steps done of the total.
     */
    public record Outcome(ObjectNode result, Map<String, Double> metrics, long stepsDone, long totalSteps) {
        public boolean complete() {
            return result != null;
        }
    }

    /** Runs {@code config} (one learning rate or a sweep) on the export at {@code backboneUri}. */
    public static Outcome run(FinetuneConfig config, String backboneUri, Path dataRoot, Options o)
            throws IOException {
        if (!config.lrSweep()) {
            return single(config, backboneUri, dataRoot, o);
        }
        try (ObjectStore out = TrainingLoop.open(config.output().uri())) {
            String primary = primaryMetric(config.task());
            ArrayNode perLr = JSON.createArrayNode();
            Outcome best = null;
            double bestLr = Double.NaN;
            long done = 0;
            long total = 0;
            for (double lr : config.optimizer().lr()) {
                message(o, "learning rate " + plain(lr) + " -> " + out.uri(lrDir(lr)));
                Outcome one = single(config.withLr(lr).withOutput(out.uri(lrDir(lr))), backboneUri, dataRoot, o);
                done += one.stepsDone();
                total += one.totalSteps();
                if (!one.complete()) {
                    return new Outcome(null, Map.of(), done, total);
                }
                ObjectNode row = perLr.addObject();
                row.put("lr", lr);
                row.put("output", out.uri(lrDir(lr)));
                row.set("metrics", one.result().get("metrics"));
                if (best == null || one.metrics().get(primary) > best.metrics().get(primary)) {
                    best = one;
                    bestLr = lr;
                }
            }
            ObjectNode result = best.result().deepCopy();
            result.set("config", config.toTree());
            result.put("config_sha256", ContentHash.configHash(config.toTree()));
            result.put("lr", bestLr);
            result.put("selected_by", primary + " on " + config.data().valSplit() + " (the split reported)");
            result.set("per_lr", perLr);
            writeResult(out, result);
            return new Outcome(result, best.metrics(), done, total);
        }
    }

    private static String lrDir(double lr) {
        return "lr-" + plain(lr);
    }

    private static String plain(double lr) {
        return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
    }

    /** The metric the task reports first and an LR sweep selects by. */
    public static String primaryMetric(Task task) {
        return task.segmentation() ? "miou" : "delta1";
    }

    private static void message(Options o, String line) {
        if (o.progress() != null) {
            o.progress().println(line);
            o.progress().flush();
        }
    }

    /** The backbone export: its descriptor and verified weights, checked against the config's depth and width. */
    private record Export(BackboneExport.Descriptor descriptor, byte[] weights, ResNetConfig resnet) {
    }

    private static Export export(String uri, FinetuneConfig config) throws IOException {
        try (ObjectStore store = ObjectStores.open(uri)) {
            BackboneExport.Descriptor d = BackboneExport.descriptor(store);
            byte[] weights = BackboneExport.weights(store, d);
            FinetuneConfig.Backbone want = config.backbone();
            if (want.depth() != 0 && (want.depth() != d.depth() || want.width() != d.width())) {
                throw new ConfigException("backbone.depth: the export " + store.uri() + " is a ResNet-" + d.depth()
                        + " (width " + d.width() + "x) but the config asks for ResNet-" + want.depth() + " (width "
                        + want.width() + "x): set backbone.depth/width to match, or 0 to take the export's");
            }
            return new Export(d, weights, new ResNetConfig(d.depth(), d.width()));
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + ": not a usable backbone export: " + e.getMessage(), e);
        }
    }

    private static Outcome single(FinetuneConfig config, String backboneUri, Path dataRoot, Options o)
            throws IOException {
        long t0 = System.nanoTime();
        Task task = config.task();
        Export ex = export(backboneUri, config);
        SampleSource<?> train = task.segmentation() ? Datasets.segmentation(task, dataRoot,
                config.data().trainSplit()) : Datasets.depth(dataRoot, config.data().trainSplit());
        SampleSource<?> val = task.segmentation() ? Datasets.segmentation(task, dataRoot, config.data().valSplit())
                : Datasets.depth(dataRoot, config.data().valSplit());
        try {
            return single(config, backboneUri, dataRoot, o, t0, ex, train, val);
        } finally {
            close(train);
            close(val);
        }
    }

    private static void close(SampleSource<?> s) {
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // read-only dataset handles: nothing to lose
            }
        }
    }

    private static Outcome single(FinetuneConfig config, String backboneUri, Path dataRoot, Options o, long t0,
            Export ex, SampleSource<?> train, SampleSource<?> val) throws IOException {
        Task task = config.task();
        int nTrain = Datasets.limit(train.size(), config.data().maxTrain());
        int nVal = Datasets.limit(val.size(), config.data().maxVal());
        if (nVal < 1) {
            throw new ConfigException("data.val_split: " + val.name() + " has no images");
        }
        int classes = task.segmentation() ? Datasets.classes(task, dataRoot) : 1;
        long stepsPerEpoch = nTrain / config.batchSize();
        if (stepsPerEpoch < 1) {
            throw new ConfigException("batch_size: the training split " + train.name() + " has " + nTrain
                    + " images, fewer than one batch of " + config.batchSize());
        }
        long total = config.totalSteps(stepsPerEpoch);
        ObjectNode identity = config.toTree();
        identity.remove("output");
        identity.remove("torch_threads");
        identity.put("backbone_sha256", ex.descriptor().sha256());
        identity.put("data_sha256", Datasets.identity(train, nTrain, val, nVal));
        identity.put("classes", classes);
        String hash = ContentHash.configHash(identity);
        Preparation prep = new Preparation(config, classes);
        if (!config.output().uri().isEmpty() && !resultExists(config)) {
            message(o, "checking " + nVal + " validation images of " + val.name());
            Evaluation.precheck(val, nVal, prep);
        }
        SkippedSamples skipped = new SkippedSamples();
        IndexedSource.Preparer<Prepared> prepare = (i, epoch, position) -> {
            try {
                Prepared p = task.segmentation()
                        ? prep.trainSeg(((SegDataset) train).load(i), IndexedSource.random(config.seed(), epoch,
                                position))
                        : prep.trainDepth(((DepthDataset) train).load(i), IndexedSource.random(config.seed(), epoch,
                                position));
                if (p == null) {
                    throw new MalformedDataException(Datasets.file(train, i), "depth", "no valid depth pixel in the"
                            + " training window (sample " + train.ids().get(i) + ")");
                }
                return p;
            } catch (MalformedDataException | UncheckedIOException | IllegalArgumentException
                    | Preparation.LabelOutOfRange e) {
                String why = e instanceof Preparation.LabelOutOfRange ? Datasets.file(train, i) + ": " + e.getMessage()
                        : e.getMessage();
                skipped.add(train.ids().get(i), why);
                throw new IndexedSource.BadSample(why, e);
            }
        };
        int batch = config.batchSize();
        long seed = config.seed();
        if (config.torchThreads() > 0) {
            Torch.configure(config.torchThreads()); // before the device check loads the engine
        }
        Devices.Resolved device = TrainingRun.resolveOneDevice(config.device(), Precision.FP32, "fine-tuning");
        TrainingLoop.Result r = TrainingLoop.<Prepared>builder()
                .settings(new TrainingLoop.Settings(batch, seed, config.output(), config.torchThreads()))
                .identity(new TrainingLoop.Identity(identity, hash, dataRoot + " (" + train.name() + " -> "
                        + val.name() + ")"))
                .device(device.line(), device.names())
                .learner(() -> learner(config, ex, classes, total, hash, device.primary()))
                .source((start, warn) -> new IndexedSource<>(nTrain, seed, batch, start, i -> train.ids().get(i),
                        prepare, warn))
                .steps(total, stepsPerEpoch)
                .progress(o.progress())
                .listener(skipped)
                .build().run(o.maxSteps());
        long done = r.startStep() + r.steps();
        if (done < total) {
            return new Outcome(null, Map.of(), done, total);
        }
        try (ObjectStore out = TrainingLoop.open(config.output().uri());
             FinetuneLearner l = learner(config, ex, classes, total, hash, device.primary())) {
            Optional<String> latest = Checkpoints.latest(out);
            Checkpoints.restore(out, latest.orElseThrow(() -> new IOException(out.uri()
                    + " has no checkpoint of the finished run")), l);
            Consumer<String> progress = line -> message(o, line);
            ObjectStore save = o.savePredictions() ? out : null;
            Map<String, Double> metrics = new LinkedHashMap<>();
            ObjectNode result = JSON.createObjectNode();
            result.put("task", task.key());
            ObjectNode m = result.putObject("metrics");
            if (task.segmentation()) {
                ConfusionMatrix cm = Evaluation.segmentation(l, task, (SegDataset) val, nVal, prep, classes, save,
                        progress);
                SegMetrics s = cm.metrics();
                metrics.put("miou", s.meanIou());
                metrics.put("pixel_accuracy", s.pixelAccuracy());
                metrics.put("mean_class_accuracy", s.meanClassAccuracy());
                metrics.forEach((k, v) -> putNumber(m, k, v));
                ObjectNode per = result.putObject("per_class_iou");
                List<String> names = Datasets.classNames(task, dataRoot, classes);
                for (int c = 0; c < classes; c++) {
                    putNumber(per, names.get(c), s.classIou()[c]);
                }
                result.put("num_classes", classes).put("ignore_index", 255)
                        .put("evaluated_pixels", s.evaluatedPixels());
            } else {
                DepthEvaluation d = Evaluation.depth(l, (DepthDataset) val, nVal, prep, batch, save, progress);
                metrics.putAll(d.metrics().asMap());
                metrics.forEach((k, v) -> putNumber(m, k, v));
                result.put("averaging", "per_image_mean").put("valid_pixels", d.validPixels())
                        .put("images_without_valid_pixels", d.imagesWithoutValidPixels());
            }
            result.put("metrics_units", "fractions in [0, 1] (delta*, miou, accuracies); metres (rmse)");
            result.set("config", config.toTree());
            result.put("config_sha256", ContentHash.configHash(config.toTree()));
            result.put("run_sha256", hash);
            result.put("backbone", backboneUri);
            result.put("backbone_sha256", ex.descriptor().sha256());
            result.put("backbone_method", ex.descriptor().method()).put("backbone_step", ex.descriptor().step());
            result.put("backbone_resnet", ex.resnet().depth() + "x" + ex.resnet().width());
            result.put("data", dataRoot.toString());
            result.put("train_split", train.name()).put("val_split", val.name());
            result.put("train_images", nTrain).put("val_images", nVal);
            result.put("steps", total).put("images_seen", total * batch).put("lr", config.lr());
            result.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
            result.put("device", device.names() + ", "
                    + System.getProperty("ai.djl.pytorch.num_threads", "default") + " PyTorch threads");
            skipped.writeInto(result);
            if (save != null) {
                result.put("predictions", out.uri(Evaluation.PREDICTIONS));
                result.put("gt", out.uri(Evaluation.GT));
            }
            writeResult(out, result);
            return new Outcome(result, metrics, done, total);
        }
    }

    /** Whether the run's output already holds a finished run's checkpoint (its data was checked then). */
    private static boolean resultExists(FinetuneConfig config) throws IOException {
        try (ObjectStore out = TrainingLoop.open(config.output().uri())) {
            return out.exists(RESULT);
        }
    }

    private static FinetuneLearner learner(FinetuneConfig config, Export ex, int classes, long total, String hash,
            Device device) {
        try {
            return new FinetuneLearner(config, ex.resnet(), ex.weights(), classes, total, hash, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    private static void writeResult(ObjectStore out, ObjectNode result) throws IOException {
        out.write(RESULT, JSON.writeValueAsBytes(result));
    }

    /** Reads a result written by {@link #run}. */
    public static JsonNode readResult(ObjectStore out) throws IOException {
        return JSON.readTree(out.readAllBytes(RESULT));
    }
}
