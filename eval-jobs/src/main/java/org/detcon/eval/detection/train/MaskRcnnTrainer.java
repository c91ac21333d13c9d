package org.detcon.eval.detection.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.model.MaskRcnn;
import org.detcon.eval.detection.model.MaskRcnnNet;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.optim.Sgd;

/**
 * The detector's training step as a unit (as {@code Pretrainer.step} for pretraining): one batch in, the five
 * named losses out, one SGD update (momentum, weight decay, warmup + step schedule) in between; parameters,
 * batch-norm statistics and momentum saved to and restored from checkpoints by the trainer's checkpoint code.
 * The long-running loop (metrics log, progress, checkpoint every N, divergence guard) is the training run's, not
 * this class's.
 *
 * <p>{@code backbone.mode}: {@code finetune} trains everything with batch statistics; {@code frozen_bn} freezes the
 * backbone's batch-norm scale and shift and uses its running statistics; {@code frozen} freezes the whole backbone.
 * Region sampling in step k draws from a generator seeded by (seed, k), so a resumed run repeats a step exactly.
 * Per-step arrays live in a sub-manager closed at the end of the step.
 */
public final class MaskRcnnTrainer implements AutoCloseable {

    /** The method name recorded in checkpoints. */
    public static final String METHOD = "MASK_RCNN";
    public static final String WEIGHTS = "detector.npz";
    public static final String OPTIMIZER = "optimizer.npz";
    private static final int SAMPLING_STREAM = 0x5A17;

    private final DetectorTrainConfig config;
    private final NDManager manager;
    private final MaskRcnnNet net;
    private final MaskRcnn model;
    private final Sgd sgd;
    private final List<Parameter> trainable = new ArrayList<>();
    private long step;

    /** A detector with freshly initialised parameters (load a backbone with {@link #loadBackbone}). */
    public MaskRcnnTrainer(DetectorTrainConfig config) {
        this.config = config;
        this.manager = Torch.newManager();
        try {
            ResNet.Backbone backbone = ResNet.build(config.backbone());
            this.net = new MaskRcnnNet(backbone, config.model());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.inputSize(), config.inputSize()));
            BackboneMode mode = config.model().backboneMode();
            if (mode == BackboneMode.FROZEN) {
                backbone.block().freezeParameters(true);
            } else if (mode == BackboneMode.FROZEN_BN) {
                for (Pair<String, Parameter> p : backbone.block().getParameters()) {
                    Parameter.Type t = p.getValue().getType();
                    if (t == Parameter.Type.GAMMA || t == Parameter.Type.BETA) {
                        p.getValue().freeze(true);
                    }
                }
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    trainable.add(p.getValue());
                }
            }
            this.model = new MaskRcnn(net);
            this.sgd = new Sgd(config.momentum(), config.weightDecay(), k -> config.learningRate().at(k));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public DetectorTrainConfig config() {
        return config;
    }

    public MaskRcnn model() {
        return model;
    }

    public MaskRcnnNet net() {
        return net;
    }

    /** Steps done so far. */
    public long stepCount() {
        return step;
    }

    /** Copies exported backbone weights ({@code backbone.npz}, see {@code BackboneExport}) into the backbone. */
    public void loadBackbone(byte[] npz) throws IOException {
        ParameterFiles.decodeInto(npz, net.backbone().block(), manager);
    }

    /** The outcome of one step: the losses before the update, their sum and the learning rate used. */
    public record StepResult(long step, Map<String, Float> losses, float total, double learningRate) {
    }

    /** One optimisation step on {@code batch}. */
    public StepResult step(DetectionBatch batch) {
        Map<String, Float> values = new LinkedHashMap<>();
        float total;
        try (NDManager scope = manager.newSubManager()) {
            NDArray images = batch.images(scope);
            ParameterStore ps = new ParameterStore(scope, false);
            SplittableRandom rng = new SplittableRandom(BatchAssembler.mix(config.seed(), step, SAMPLING_STREAM));
            try (GradientCollector gc = Engine.getEngine(Torch.engine().getEngineName()).newGradientCollector()) {
                Map<String, NDArray> losses = model.losses(ps, images, batch.imageSizes(), batch.targets(), rng);
                NDArray sum = null;
                for (Map.Entry<String, NDArray> e : losses.entrySet()) {
                    values.put(e.getKey(), e.getValue().getFloat());
                    sum = sum == null ? e.getValue() : sum.add(e.getValue());
                }
                total = sum.getFloat();
                gc.backward(sum);
            }
            for (Parameter p : trainable) {
                NDArray w = p.getArray();
                try (NDArray g = w.getGradient()) { // a new handle on the model's manager each time: close it
                    sgd.update(p.getId(), w, g);
                }
            }
        }
        StepResult r = new StepResult(step, values, total, sgd.lastLearningRate());
        step++;
        return r;
    }

    /**
     * The five losses of {@code batch} without a gradient or an update, the RoI heads on {@code proposals} if not
     * null (see {@link MaskRcnn#losses}), sampling from a generator seeded by {@code samplingSeed}. Batch norm runs as
     * in training (and updates its running statistics).
     */
    public Map<String, Float> probe(DetectionBatch batch, List<float[]> proposals, long samplingSeed) {
        Map<String, Float> values = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> losses = model.losses(new ParameterStore(scope, false), batch.images(scope),
                    batch.imageSizes(), batch.targets(), new SplittableRandom(samplingSeed), proposals);
            losses.forEach((k, v) -> values.put(k, v.getFloat()));
        }
        return values;
    }

    /** Detections of {@code batch} (inference mode), in the batch's resized coordinates. */
    public List<Detections> detect(DetectionBatch batch) {
        try (NDManager scope = manager.newSubManager()) {
            return model.detect(new ParameterStore(scope, false), batch.images(scope), batch.imageSizes());
        }
    }

    /**
     * Writes a checkpoint ({@code detector.npz}: every parameter and batch-norm statistic; {@code optimizer.npz}:
     * the momentum buffers) for the current step into {@code store}; returns the step's name.
     */
    public String save(ObjectStore store, long epoch, long position) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(WEIGHTS, ParameterFiles.encode(net));
        files.put(OPTIMIZER, Checkpoints.encodeMomentum(net, sgd));
        return Checkpoints.write(store, new Checkpoints.State(step, epoch, config.seed(), configHash(), METHOD,
                Map.of(), position), files);
    }

    /** Restores parameters, momentum and step from checkpoint {@code name} (made with the same config). */
    public Checkpoints.State restore(ObjectStore store, String name) throws IOException {
        Checkpoints.Verified v = Checkpoints.read(store, name, configHash());
        String where = store.uri(name);
        ParameterFiles.decodeInto(v.file(where, WEIGHTS), net, manager);
        Checkpoints.decodeMomentum(v.file(where, OPTIMIZER), where, net, sgd);
        this.step = v.state().step();
        sgd.setStepOffset(step);
        return v.state();
    }

    public String configHash() {
        return Checkpoints.configHash(config);
    }

    @Override
    public void close() {
        sgd.release();
        manager.close();
    }
}
