package org.detcon.eval.detection.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.detection.config.CocoMaskRcnnConfig;
import org.detcon.eval.detection.config.CocoMaskRcnnConfigYaml;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.CocoSplit;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.data.InputTransform;
import org.detcon.eval.detection.infer.CocoDetectionEvaluation;
import org.detcon.eval.detection.infer.DetectionResult;
import org.detcon.eval.detection.infer.DetectorExport;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.detection.train.MaskRcnnTrainer;
import org.detcon.eval.finetune.FinetuneJob;
import org.detcon.eval.finetune.SkippedSamples;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.IndexedSource;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainingLoop;

/**
 * {@code detcon eval finetune --task coco-maskrcnn}: Mask R-CNN + FPN fine-tuned from a backbone export on a
 * COCO-layout dataset ({@link CocoSplit}: real COCO or {@code detcon data synth}'s output), then evaluated on its
 * val split. Training is the project's one training loop ({@link TrainingLoop} with a {@link MaskRcnnTrainer} on an
 * {@link IndexedSource} of the training images that have a usable annotation, each flipped with probability ½):
 * {@code run.json}, {@code metrics.jsonl} (the five losses as parts), checkpoints and exact resume under the
 * output; with {@code eval.every} also {@code evals.jsonl} ({@link PeriodicEvaluation}). Then the final checkpoint
 * is exported as a detector ({@code detector/}, what {@code --eval-only --weights} takes) and evaluated:
 * {@code bbox_results.json}, {@code segm_results.json} (COCO results format) and {@code result.json}
 * ({@link DetectionResult}). Running it again on the same output resumes from the newest checkpoint and ends with
 * the same numbers.
 *
 * <p>Training images that cannot be read are skipped, counted and listed ({@code skipped.json}); crowd regions,
 * degenerate boxes and images without a usable annotation are left out of training and counted in
 * {@code result.json}'s {@code train_data}. A missing split, categories that differ between train and val, or a
 * backbone export that does not verify stop the job with one line naming the file.
 */
public final class CocoMaskRcnnJob {

    public static final String DETECTOR = "detector";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CocoMaskRcnnJob() {
    }

    /** The backbone export: its descriptor and verified weights. */
    private record Export(BackboneExport.Descriptor descriptor, byte[] weights, ResNetConfig resnet) {
    }

    private static Export export(String uri) throws IOException {
        try (ObjectStore store = ObjectStores.open(uri)) {
            BackboneExport.Descriptor d = BackboneExport.descriptor(store);
            return new Export(d, BackboneExport.weights(store, d), new ResNetConfig(d.depth(), d.width()));
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + ": not a usable backbone export: " + e.getMessage(), e);
        }
    }

    /** Fine-tunes and evaluates; {@code o.savePredictions()} is ignored (the results files are always written). */
    public static FinetuneJob.Outcome run(CocoMaskRcnnConfig config, String backboneUri, Path dataRoot,
            FinetuneJob.Options o) throws IOException {
        long t0 = System.nanoTime();
        Export ex = export(backboneUri);
        InputTransform transform = new InputTransform(config.inputSize());
        CocoDetectionData train = data(dataRoot, "train", transform);
        CocoDetectionData val = data(dataRoot, "val", transform);
        if (!train.categories().categoryIds().equals(val.categories().categoryIds())) {
            throw new ConfigException("data: the train and val splits under " + dataRoot + " have different"
                    + " categories (" + train.categories().categoryIds() + " vs " + val.categories().categoryIds()
                    + ")");
        }
        if (val.dataset().images().isEmpty()) {
            throw new ConfigException("data: " + val.split().annotations() + " has no images");
        }
        List<CocoImage> images = train.trainImages();
        int batch = config.batchSize();
        long stepsPerEpoch = images.size() / batch;
        if (stepsPerEpoch < 1) {
            throw new ConfigException("batch_size: " + train.split().annotations() + " has " + images.size()
                    + " images with a usable annotation, fewer than one batch of " + batch);
        }
        CocoDetectionData.Counts c = train.counts();
        message(o, "train: " + images.size() + " of " + c.images() + " images (" + c.imagesWithoutAnnotations()
                + " without a usable annotation; " + c.crowd() + " crowd, " + c.degenerate() + " degenerate, "
                + c.unknownCategory() + " unknown-category annotations left out), " + train.categories().categoryIds().size()
                + " categories; val: " + val.dataset().images().size() + " images");
        DetectorTrainConfig trainConfig = config.train(ex.resnet(), train.categories().categoryIds().size());
        long total = config.iterations();
        ObjectNode identity = config.toTree();
        identity.remove("output");
        identity.remove("torch_threads");
        identity.put("backbone_sha256", ex.descriptor().sha256());
        identity.put("data_sha256", ContentHash.sha256Hex(ContentHash.sha256Hex(train.split().annotations()) + "\n"
                + ContentHash.sha256Hex(val.split().annotations())));
        String hash = ContentHash.configHash(identity);
        long seed = config.seed();
        SkippedSamples skipped = new SkippedSamples();
        IndexedSource.Preparer<DetectionSample> prepare = (i, epoch, position) -> {
            CocoImage im = images.get(i);
            try {
                return train.trainSample(im, IndexedSource.random(seed, epoch, position).nextBoolean());
            } catch (IOException | RuntimeException e) {
                skipped.add(String.valueOf(im.id()), e.getMessage());
                throw new IndexedSource.BadSample(e.getMessage(), e);
            }
        };
        TrainingLoop.Builder<DetectionSample> loop = TrainingLoop.<DetectionSample>builder()
                .settings(new TrainingLoop.Settings(batch, seed, config.output(), config.torchThreads()))
                .identity(new TrainingLoop.Identity(identity, hash, dataRoot + " (" + train.split().annotations()
                        .getFileName() + " -> " + val.split().annotations().getFileName() + ")"))
                .device("device: cpu (coco-maskrcnn trains on the CPU only so far)", "cpu")
                .learner(() -> learner(trainConfig, ex, hash))
                .source((start, warn) -> new IndexedSource<>(images.size(), seed, batch, start,
                        i -> "image " + images.get(i).id(), prepare, warn))
                .steps(total, stepsPerEpoch)
                .progress(o.progress())
                .listener(skipped);
        if (config.eval().every() > 0) {
            loop.listener(new PeriodicEvaluation(val, config.eval().every(), config.eval().batchSize()));
        }
        TrainingLoop.Result r = loop.build().run(o.maxSteps());
        long done = r.startStep() + r.steps();
        if (done < total) {
            return new FinetuneJob.Outcome(null, Map.of(), done, total);
        }
        try (ObjectStore out = TrainingLoop.open(config.output().uri());
             ObjectStore detectorStore = ObjectStores.open(out.uri(DETECTOR));
             MaskRcnnTrainer l = learner(trainConfig, ex, hash)) {
            Optional<String> latest = Checkpoints.latest(out);
            Checkpoints.restore(out, latest.orElseThrow(() -> new IOException(out.uri()
                    + " has no checkpoint of the finished run")), l);
            DetectorExport.Descriptor d = DetectorExport.write(detectorStore, l, train.categories().categoryIds(),
                    ex.descriptor().sha256());
            message(o, "evaluating on " + val.dataset().images().size() + " val images");
            CocoDetectionEvaluation.Output eval = CocoDetectionEvaluation.run(l::detect, val,
                    config.eval().batchSize(), out, Math.max(1, Runtime.getRuntime().availableProcessors()));
            ObjectNode result = DetectionResult.json(eval, new DetectionResult.Provenance(CocoMaskRcnnConfigYaml.TASK,
                    hash, ex.descriptor().sha256(), d.sha256(), done, DetectionResult.device()));
            result.set("config", config.toTree());
            result.put("config_sha256", ContentHash.configHash(config.toTree()));
            result.put("backbone", backboneUri);
            result.put("backbone_method", ex.descriptor().method()).put("backbone_step", ex.descriptor().step());
            result.put("backbone_resnet", ex.resnet().depth() + "x" + ex.resnet().width());
            result.put("detector", out.uri(DETECTOR));
            result.put("data", dataRoot.toString());
            ObjectNode td = result.putObject("train_data");
            td.put("annotations_file", train.split().annotations().toString()).put("images", c.images())
                    .put("used_images", images.size()).put("images_without_annotations",
                            c.imagesWithoutAnnotations()).put("crowd_annotations", c.crowd())
                    .put("degenerate_boxes", c.degenerate()).put("unknown_category_annotations",
                            c.unknownCategory());
            result.put("val_annotations_file", val.split().annotations().toString());
            result.put("images_seen", total * batch);
            result.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
            skipped.writeInto(result);
            out.write(DetectionResult.FILE, JSON.writeValueAsBytes(result));
            return new FinetuneJob.Outcome(result, DetectionResult.metrics(eval), done, total);
        }
    }

    private static CocoDetectionData data(Path root, String split, InputTransform transform) throws IOException {
        CocoSplit s;
        try {
            s = CocoSplit.resolve(root, split);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("data: " + e.getMessage(), e);
        }
        return new CocoDetectionData(s, transform);
    }

    private static MaskRcnnTrainer learner(DetectorTrainConfig config, Export ex, String hash) {
        try {
            return new MaskRcnnTrainer(config, ex.weights(), hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void message(FinetuneJob.Options o, String line) {
        if (o.progress() != null) {
            o.progress().println(line);
            o.progress().flush();
        }
    }

    /** Reads a result written by {@link #run}. */
    public static JsonNode readResult(ObjectStore out) throws IOException {
        return JSON.readTree(out.readAllBytes(DetectionResult.FILE));
    }
}
