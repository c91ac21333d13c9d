package org.detcon.eval.finetune;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import org.detcon.eval.heads.DepthDecoder;
import org.detcon.eval.heads.FcnHead;
import org.detcon.eval.heads.TaskNet;
import org.detcon.eval.loss.BerHu;
import org.detcon.eval.loss.CrossEntropy;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.Sgd;
import org.detcon.trainer.run.Learner;
import org.detcon.trainer.run.StepLoss;
import org.detcon.trainer.schedule.LrSchedule;

/**
 * Fine-tuning as a {@link org.detcon.trainer.run.TrainingLoop} learner: the task's {@link TaskNet} (the FCN head on
 * the dilated backbone for segmentation, the up-projection decoder for depth), its loss (cross-entropy ignoring
 * 255, or berHu) and {@link Sgd} on the step or poly schedule. The backbone starts from an export's weights (none:
 * the initialisation, seeded); head weights are drawn from the engine's seeded generator. Checkpoint:
 * {@code model.npz} (every parameter, batch-norm running statistics included) and {@code optimizer.npz}
 * (momentum).
 */
public final class FinetuneLearner implements Learner<Prepared> {

    private final FinetuneConfig config;
    private final String configHash;
    private final LrSchedule schedule;
    private final Model model;
    private final TaskNet net;
    private final Sgd sgd;
    private final Trainer trainer;
    private final Device device;
    private long step;

    /**
     * @param backboneWeights an export's {@code backbone.npz} (verified), or null for a random backbone
     * @param classes         segmentation classes (ignored for depth)
     * @param configHash      the run's identity hash, recorded in and checked against checkpoints
     */
    public FinetuneLearner(FinetuneConfig config, ResNetConfig resnet, byte[] backboneWeights, int classes,
            long totalSteps, String configHash) throws IOException {
        this(config, resnet, backboneWeights, classes, totalSteps, configHash, Device.cpu());
    }

    /** As above, the network, optimizer state and per-step arrays on {@code device}. */
    public FinetuneLearner(FinetuneConfig config, ResNetConfig resnet, byte[] backboneWeights, int classes,
            long totalSteps, String configHash, Device device) throws IOException {
        this.config = config;
        this.device = device;
        this.configHash = configHash;
        this.schedule = config.schedule(totalSteps);
        Torch.engine();
        this.net = build(config, resnet, classes);
        this.model = Model.newInstance("detcon-finetune", device, Torch.engine().getEngineName());
        model.setBlock(net);
        this.sgd = Sgd.of(config.sgd(), schedule::at);
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd)
                .optDevices(new Device[] {device}));
        trainer.initialize(new Shape(config.batchSize(), 3, config.data().cropHeight(), config.data().cropWidth()));
        if (backboneWeights != null) {
            ParameterFiles.decodeInto(backboneWeights, net.backbone().block(), manager());
        }
        net.freezeBackbone();
    }

    /** The task's network (not initialised). */
    public static TaskNet build(FinetuneConfig config, ResNetConfig resnet, int classes) {
        Task task = config.task();
        if (task.segmentation()) {
            return new TaskNet(ResNet.build(resnet, 16),
                    FcnHead.build(config.head().channels(), config.head().dilation(), classes),
                    config.backbone().mode());
        }
        return new TaskNet(ResNet.build(resnet), DepthDecoder.build(resnet.featureChannels(),
                config.head().upChannels()), config.backbone().mode());
    }

    private NDManager manager() {
        return net.getParameters().valueAt(0).getArray().getManager();
    }

    public TaskNet net() {
        return net;
    }

    /** Where the network computes: {@link #predict}'s scope should be a manager there. */
    public Device device() {
        return device;
    }

    @Override
    public StepLoss step(List<Prepared> batch) {
        float value;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = images(batch, scope);
            NDArray target = targets(batch, scope);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss = config.task().segmentation() ? CrossEntropy.loss(out, target, 255)
                        : BerHu.loss(out, target);
                value = loss.getFloat();
                gc.backward(loss);
                out.attach(scope);
                loss.attach(scope);
            }
            trainer.step();
        }
        step++;
        return StepLoss.of(value);
    }

    /** The network's output on prepared inputs of one size, in inference mode: logits or depth [N, C, H, W]. */
    public NDArray predict(List<Prepared> batch, NDManager scope) {
        NDArray x = images(batch, scope);
        NDArray y = net.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
        y.attach(scope);
        return y;
    }

    static NDArray images(List<Prepared> batch, NDManager m) {
        Prepared first = batch.get(0);
        int per = 3 * first.width() * first.height();
        float[] x = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).image(), 0, x, i * per, per);
        }
        return m.create(x, new Shape(batch.size(), 3, first.height(), first.width()));
    }

    private NDArray targets(List<Prepared> batch, NDManager m) {
        Prepared first = batch.get(0);
        int per = first.width() * first.height();
        if (config.task().segmentation()) {
            int[] y = new int[batch.size() * per];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i).labels(), 0, y, i * per, per);
            }
            return m.create(y, new Shape(batch.size(), first.height(), first.width()));
        }
        float[] y = new float[batch.size() * per];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).depth(), 0, y, i * per, per);
        }
        return m.create(y, new Shape(batch.size(), 1, first.height(), first.width()));
    }

    @Override
    public double learningRate(long k) {
        return schedule.at(k);
    }

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public String method() {
        return config.task().key();
    }

    @Override
    public String configHash() {
        return configHash;
    }

    @Override
    public LinkedHashMap<String, byte[]> checkpointFiles() throws IOException {
        return ParameterFiles.checkpoint("model.npz", net, sgd);
    }

    @Override
    public void restoreCheckpoint(Checkpoints.Contents files, long steps) throws IOException {
        ParameterFiles.restore(files, "model.npz", net, sgd, manager(), steps);
        this.step = steps;
    }

    @Override
    public List<Block> parameterBlocks() {
        return List.of(net);
    }

    @Override
    public void close() {
        sgd.release();
        trainer.close();
        model.close();
    }
}
