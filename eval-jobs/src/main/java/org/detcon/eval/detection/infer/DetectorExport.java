package org.detcon.eval.detection.infer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.model.MaskRcnn;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.model.MaskRcnnNet;
import org.detcon.eval.detection.train.MaskRcnnTrainer;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;

/**
 * A fine-tuned detector as {@code --weights} takes it: {@code detector.npz} (every parameter and batch-norm
 * statistic, {@link ParameterFiles}) and {@code detector.json} (architecture, input size, the category ids of its
 * classes, step, the backbone export it started from, sha256 of the weights), in an object store rooted at the
 * export; {@code configHash} is the fine-tuning config's. The descriptor is removed first and written last, as for
 * backbone exports.
 */
public final class DetectorExport {

    public static final String FORMAT = "detcon-detector/1";
    public static final String WEIGHTS = "detector.npz";
    public static final String DESCRIPTOR = "detector.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DetectorExport() {
    }

    /** detector.json. */
    public record Descriptor(String format, ResNetConfig backbone, MaskRcnnConfig model, int inputSize,
            List<Integer> categoryIds, long step, String configHash, String backboneSha256, String sha256) {
    }

    /** Exports the trainer's detector into {@code store}. */
    public static Descriptor write(ObjectStore store, MaskRcnnTrainer trainer, List<Integer> categoryIds,
            String backboneSha256) throws IOException {
        if (categoryIds.size() + 1 != trainer.config().model().numClasses()) {
            throw new IllegalArgumentException(categoryIds.size() + " categories for a detector of "
                    + trainer.config().model().numClasses() + " classes (background included)");
        }
        store.delete(DESCRIPTOR);
        byte[] weights = ParameterFiles.encode(trainer.net());
        store.write(WEIGHTS, weights);
        Descriptor d = new Descriptor(FORMAT, trainer.config().backbone(), trainer.config().model(),
                trainer.config().inputSize(), List.copyOf(categoryIds), trainer.stepCount(), trainer.configHash(),
                backboneSha256,
                org.detcon.core.hash.ContentHash.sha256Hex(weights));
        store.write(DESCRIPTOR, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
        return d;
    }

    public static Descriptor descriptor(ObjectStore store) throws IOException {
        if (!store.exists(DESCRIPTOR)) {
            throw new IOException(store.uri(DESCRIPTOR) + " does not exist: " + store.uri()
                    + " is not a detector export (fine-tuning writes one into its output's detector/)");
        }
        Descriptor d = JSON.readValue(store.readAllBytes(DESCRIPTOR), Descriptor.class);
        if (!FORMAT.equals(d.format())) {
            throw new IOException(store.uri(DESCRIPTOR) + ": unknown detector format " + d.format() + ", expected "
                    + FORMAT);
        }
        return d;
    }

    /** A detector loaded for inference; close it. */
    public static final class Loaded implements AutoCloseable {

        private final Descriptor descriptor;
        private final NDManager manager;
        private final MaskRcnn model;

        private Loaded(Descriptor descriptor, NDManager manager, MaskRcnn model) {
            this.descriptor = descriptor;
            this.manager = manager;
            this.model = model;
        }

        public Descriptor descriptor() {
            return descriptor;
        }

        public MaskRcnn model() {
            return model;
        }

        /** Detections of a batch (inference mode). */
        public List<Detections> detect(DetectionBatch batch) {
            try (NDManager scope = manager.newSubManager()) {
                return model.detect(new ParameterStore(scope, false), batch.images(scope), batch.imageSizes());
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Builds the described detector and loads (and verifies) its weights. */
    public static Loaded load(ObjectStore store) throws IOException {
        Descriptor d = descriptor(store);
        byte[] weights = store.readAllBytes(WEIGHTS);
        if (!org.detcon.core.hash.ContentHash.sha256Hex(weights).equals(d.sha256())) {
            throw new IOException("detector weights " + store.uri(WEIGHTS) + " do not match " + DESCRIPTOR
                    + " (sha256 differs): the export is damaged or was being replaced; export it again");
        }
        NDManager manager = Torch.newManager();
        try {
            MaskRcnnNet net = new MaskRcnnNet(ResNet.build(d.backbone()), d.model());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, d.inputSize(), d.inputSize()));
            ParameterFiles.decodeInto(weights, net, manager);
            return new Loaded(d, manager, new MaskRcnn(net));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
