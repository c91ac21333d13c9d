package org.detcon.eval.detection.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.model.MaskRcnn;
import org.detcon.eval.detection.model.MaskRcnnNet;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.optim.Sgd;
import org.detcon.trainer.run.Learner;
import org.detcon.trainer.run.StepLoss;

/**
 * The detector as a {@link org.detcon.trainer.run.TrainingLoop} learner (as {@code FinetuneLearner} for the dense
 * tasks): one batch of samples in, the five named losses out ({@code metrics.jsonl}'s parts), one {@link Sgd}
 * update (momentum, weight decay, warmup + steps) in between. Checkpoint: {@code detector.npz} (every parameter
 * and batch-norm statistic) and {@code optimizer.npz} (momentum); the loop's listeners do the rest (metrics log,
 * progress, checkpoint every N, divergence guard).
 *
 * <p>{@code backbone.mode}: {@code finetune} trains everything with batch statistics; {@code frozen_bn} freezes the
 * backbone's batch norm (scale, shift, running statistics); {@code frozen} freezes the whole backbone. Region
 * sampling in step k draws from a generator seeded by (seed, k), so a resumed run repeats a step exactly. Per-step
 * arrays live in a sub-manager closed at the end of the step.
 */
public final class MaskRcnnTrainer implements Learner<DetectionSample> {

    /** The method recorded in checkpoints: the eval's name. */
    public static final String METHOD = "coco-maskrcnn";
    public static final String WEIGHTS = "detector.npz";
    public static final String OPTIMIZER = ParameterFiles.MOMENTUM_FILE;
    private static final int SAMPLING_STREAM = 0x5A17;

    private final DetectorTrainConfig config;
    private final String configHash;
    private final NDManager manager;
    private final MaskRcnnNet net;
    private final MaskRcnn model;
    private final Sgd sgd;
    private final List<Parameter> trainable = new ArrayList<>();
    private long step;

    /**
     * A detector with freshly initialised parameters (from the engine's generator) and, when {@code backboneWeights}
     * is not null, the backbone of an export ({@code backbone.npz}, see {@code BackboneExport}).
     *
     * @param configHash the run's identity, recorded in and checked against checkpoints
     */
    public MaskRcnnTrainer(DetectorTrainConfig config, byte[] backboneWeights, String configHash)
            throws IOException {
        this.config = config;
        this.configHash = configHash;
        this.manager = Torch.newManager();
        try {
            ResNet.Backbone backbone = ResNet.build(config.backbone());
            this.net = new MaskRcnnNet(backbone, config.model());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.inputSize(), config.inputSize()));
            if (backboneWeights != null) {
                ParameterFiles.decodeInto(backboneWeights, backbone.block(), manager);
            }
            config.model().backboneMode().freeze(backbone.block());
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    trainable.add(p.getValue());
                }
            }
            this.model = new MaskRcnn(net);
            this.sgd = Sgd.of(config.sgd(), config.learningRate()::at);
        } catch (IOException | RuntimeException e) {
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

    @Override
    public StepLoss step(List<DetectionSample> samples) {
        return step(new DetectionBatch(samples, config.inputSize()));
    }

    /** One optimisation step on {@code batch}: the losses before the update (their sum, and each by name). */
    public StepLoss step(DetectionBatch batch) {
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
        step++;
        return new StepLoss(total, values);
    }

    @Override
    public double learningRate(long k) {
        return config.learningRate().at(k);
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

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String configHash() {
        return configHash;
    }

    @Override
    public LinkedHashMap<String, byte[]> checkpointFiles() throws IOException {
        return ParameterFiles.checkpoint(WEIGHTS, net, sgd);
    }

    @Override
    public void restoreCheckpoint(Checkpoints.Contents files, long steps) throws IOException {
        ParameterFiles.restore(files, WEIGHTS, net, sgd, manager, steps);
        this.step = steps;
    }

    @Override
    public List<Block> parameterBlocks() {
        return List.of(net);
    }

    @Override
    public void close() {
        sgd.release();
        manager.close();
    }
}
