package org.detcon.trainer.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import org.detcon.trainer.checkpoint.Checkpointable;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.checkpoint.Exportable;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.loss.ByolLoss;
import org.detcon.trainer.loss.DetConLoss;
import org.detcon.trainer.model.Encoder;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.Lars;
import org.detcon.trainer.optim.ParameterGroups;

/**
 * Wires one method's networks, loss, LARS and (for DetCon_B / BYOL) the EMA target, and runs training steps.
 *
 * <ul>
 *   <li>DetCon_B: online = backbone → projector → predictor, target = EMA copy of backbone → projector (forward in
 *       training mode, no gradient); loss = DetCon(p = online predictions, t = target projections).</li>
 *   <li>DetCon_S / SimCLR: one network backbone → projector; loss = DetCon(p = t = projections). SimCLR is fed
 *       1×1-grid masks.</li>
 *   <li>BYOL: as DetCon_B on global average pooling (R = 1, uniform weights); loss = regression loss.</li>
 * </ul>
 * Each view goes through the networks separately (per-view batch-norm statistics). Per-step arrays live in a
 * sub-manager closed at the end of the step. Its checkpoint ({@link Checkpointable}) is {@code online.npz},
 * {@code target.npz} (with a target network) and {@code optimizer.npz} (LARS momentum of the online network); its
 * export ({@link Exportable}) is the online backbone.
 */
public final class Pretrainer implements Checkpointable, Exportable, AutoCloseable {

    private final PretrainConfig config;
    private final Model model;
    private final Encoder online;
    private final Trainer trainer;
    private final Lars lars;
    private final Encoder target;
    private final NDManager targetManager;
    private final ParameterStore targetStore;
    private final TargetEma ema;
    private final DetConLoss detcon;
    private long step;

    /** On the CPU. */
    public Pretrainer(PretrainConfig config, int batchSize) {
        this(config, batchSize, Device.cpu());
    }

    /**
     * Networks, optimizer state and every per-step array on {@code device}; batches may come from any device (they
     * are copied to it).
     */
    public Pretrainer(PretrainConfig config, int batchSize, Device device) {
        this.config = config;
        boolean hasTarget = config.method().hasTarget();
        this.online = new Encoder(config.resnet(), config.projector(), hasTarget ? config.predictor() : null);
        this.model = Model.newInstance("detcon-online", device, Torch.engine().getEngineName());
        model.setBlock(online);
        this.lars = Lars.builder().setConfig(config.lars())
                .setLearningRate(k -> config.learningRate().at(k))
                .setExcluded(ParameterGroups.excludedIds(online)).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(lars)
                .optDevices(new Device[] {device}));
        Shape[] shapes = inputShapes(batchSize);
        trainer.initialize(shapes);
        this.detcon = new DetConLoss(config.loss());
        if (hasTarget) {
            this.targetManager = Torch.newManager(device);
            this.target = new Encoder(config.resnet(), config.projector(), null);
            target.initialize(targetManager, DataType.FLOAT32, shapes);
            target.freezeParameters(true);
            this.targetStore = new ParameterStore(targetManager, false);
            this.ema = new TargetEma(List.<Block>of(online.backbone().block(), online.projector()),
                    List.<Block>of(target.backbone().block(), target.projector()));
            ema.copyOnlineToTarget();
        } else {
            this.targetManager = null;
            this.target = null;
            this.targetStore = null;
            this.ema = null;
        }
    }

    private Shape[] inputShapes(int batchSize) {
        int s = config.imageSize();
        int g = config.gridSize();
        return new Shape[] {new Shape(batchSize, 3, s, s), new Shape(batchSize, masksPerView(), (long) g * g)};
    }

    private int masksPerView() {
        return config.method() == Method.BYOL ? 1 : config.masks().masksPerView();
    }

    public PretrainConfig config() {
        return config;
    }

    public Encoder online() {
        return online;
    }

    /** The EMA target network, or null for DetCon_S / SimCLR. */
    public Encoder target() {
        return target;
    }

    public Lars optimizer() {
        return lars;
    }

    /** Steps done so far. */
    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public String method() {
        return config.method().name();
    }

    @Override
    public String configHash() {
        return Checkpoints.configHash(config);
    }

    @Override
    public LinkedHashMap<String, byte[]> checkpointFiles() throws IOException {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        files.put("online.npz", ParameterFiles.encode(online));
        if (target != null) {
            files.put("target.npz", ParameterFiles.encode(target));
        }
        files.put("optimizer.npz", ParameterFiles.encodeMomentum(online, lars));
        return files;
    }

    @Override
    public void restoreCheckpoint(Checkpoints.Contents files, long steps) throws IOException {
        NDManager m = online.getParameters().valueAt(0).getArray().getManager();
        ParameterFiles.decodeInto(files.get("online.npz"), online, m);
        if (target != null) {
            ParameterFiles.decodeInto(files.get("target.npz"), target,
                    target.getParameters().valueAt(0).getArray().getManager());
        }
        ParameterFiles.decodeMomentum(files.get("optimizer.npz"), online, lars, m);
        restoreStepCount(steps);
    }

    @Override
    public List<Block> parameterBlocks() {
        return target == null ? List.of(online) : List.of(online, target);
    }

    @Override
    public Block backboneBlock() {
        return online.backbone().block();
    }

    @Override
    public ResNetConfig resnet() {
        return config.resnet();
    }

    @Override
    public int imageSize() {
        return config.imageSize();
    }

    /** Sets the step counter (checkpoint restore): the LR and EMA schedules continue from here. */
    public void restoreStepCount(long steps) {
        this.step = steps;
        lars.setStepOffset(steps);
    }

    /** One optimisation step on {@code batch}; returns the loss before the update. */
    public float step(PretrainBatch batch) {
        float value;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            // copies in the step scope: every array the step makes derives from these and dies with the scope
            NDArray w1 = weights(batch, batch.masks1(), scope);
            NDArray w2 = weights(batch, batch.masks2(), scope);
            NDArray x1 = local(batch.view1(), scope);
            NDArray x2 = local(batch.view2(), scope);
            NDArray ids1 = batch.masks1() == null ? null : local(batch.masks1().ids(), scope);
            NDArray ids2 = batch.masks2() == null ? null : local(batch.masks2().ids(), scope);
            NDArray t1 = null;
            NDArray t2 = null;
            if (target != null) {
                t1 = target.forward(targetStore, new NDList(x1, w1), true).get(0);
                t2 = target.forward(targetStore, new NDList(x2, w2), true).get(0);
                t1.attach(scope);
                t2.attach(scope);
            }
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList o1 = trainer.forward(new NDList(x1, w1));
                NDList o2 = trainer.forward(new NDList(x2, w2));
                NDArray loss = switch (config.method()) {
                    case DETCON_B -> detcon.detconB(o1.get(1), o2.get(1), t1, t2, ids1, ids2).loss();
                    case DETCON_S, SIMCLR -> detcon.detconS(o1.get(0), o2.get(0), ids1, ids2).loss();
                    case BYOL -> ByolLoss.compute(squeeze(o1.get(1)), squeeze(o2.get(1)), squeeze(t1),
                            squeeze(t2));
                };
                value = loss.getFloat();
                gc.backward(loss);
                o1.attach(scope);
                o2.attach(scope);
                loss.attach(scope);
            }
            trainer.step();
            if (ema != null) {
                ema.update(config.ema().tau(step));
            }
        }
        step++;
        return value;
    }

    private NDArray weights(PretrainBatch batch, org.detcon.trainer.masks.MaskBatch masks, NDManager scope) {
        if (config.method() != Method.BYOL) {
            return local(masks.weights(), scope);
        }
        int cells = config.gridSize() * config.gridSize();
        return scope.full(new Shape(batch.batchSize(), 1, cells), 1f / cells);
    }

    /** A copy of {@code x} on the scope's device (an upload when the batch was assembled elsewhere), in the scope. */
    private static NDArray local(NDArray x, NDManager scope) {
        NDArray copy = x.getDevice().equals(scope.getDevice()) ? x.duplicate() : x.toDevice(scope.getDevice(), true);
        copy.attach(scope);
        return copy;
    }

    private static NDArray squeeze(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(2));
    }

    @Override
    public void close() {
        lars.release();
        trainer.close();
        model.close();
        if (targetManager != null) {
            targetManager.close();
        }
    }
}
