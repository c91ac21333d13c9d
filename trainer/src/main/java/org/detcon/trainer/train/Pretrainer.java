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
import java.util.ArrayList;
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
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.parallel.ReplicaSync;

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
 *
 * <p>Large batches and several devices ({@link BatchSplit}): the loss is always the global batch's (the DetCon and
 * SimCLR negatives come from the whole batch) and LARS steps once per global batch. With {@code micro_batch} below
 * the batch, or more than one device, the gradient is accumulated micro-batch by micro-batch against cached outputs
 * ({@link CachedGradientStep}); batch-norm statistics are then those of each micro-batch (per view). Each further
 * device holds a replica of the networks; its gradients are added into the primary's before the LARS step and the
 * primary's values (weights, running statistics, the target's EMA) are copied back after it (and after a checkpoint
 * is restored), so replicas stay identical. Checkpoints hold the primary's networks only.
 */
public final class Pretrainer implements Checkpointable, Exportable, AutoCloseable {

    private final PretrainConfig config;
    private final BatchSplit split;
    private final Model model;
    private final Encoder online;
    private final Trainer trainer;
    private final Lars lars;
    private final Encoder target;
    private final NDManager targetManager;
    private final TargetEma ema;
    private final DetConLoss detcon;
    private final List<Replica> replicas = new ArrayList<>();
    private final CachedGradientStep cached;
    /** Which online output feeds the loss: 1 (predictions) with a target network, else 0 (projections). */
    private final int lossOutput;
    private boolean batchNormTraining = true;
    private long step;

    /** The whole batch at once on the CPU. */
    public Pretrainer(PretrainConfig config, int batchSize) {
        this(config, BatchSplit.whole(batchSize, Device.cpu()));
    }

    /**
     * Networks for batches cut as {@code split} says: the primary networks (and the optimizer) on its first device, a
     * replica on each further one; with micro-batches or several devices a step runs as {@link CachedGradientStep}.
     */
    public Pretrainer(PretrainConfig config, BatchSplit split) {
        this(config, split, !split.isWhole());
    }

    /** {@code accumulate}: run steps as {@link CachedGradientStep} even for a whole batch on one device (tests). */
    Pretrainer(PretrainConfig config, BatchSplit split, boolean accumulate) {
        this.config = config;
        this.split = split;
        boolean hasTarget = config.method().hasTarget();
        Device primary = split.devices().get(0);
        this.online = new Encoder(config.resnet(), config.projector(), hasTarget ? config.predictor() : null);
        this.model = Model.newInstance("detcon-online", primary, Torch.engine().getEngineName());
        model.setBlock(online);
        this.lars = Lars.builder().setConfig(config.lars())
                .setLearningRate(k -> config.learningRate().at(k))
                .setExcluded(ParameterGroups.excludedIds(online)).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(lars)
                .optDevices(new Device[] {primary}));
        Shape[] shapes = inputShapes(split.batchSize());
        trainer.initialize(shapes);
        this.detcon = new DetConLoss(config.loss());
        if (hasTarget) {
            this.targetManager = Torch.engine().newBaseManager(primary);
            this.target = new Encoder(config.resnet(), config.projector(), null);
            target.initialize(targetManager, DataType.FLOAT32, shapes);
            target.freezeParameters(true);
            this.ema = new TargetEma(List.<Block>of(online.backbone().block(), online.projector()),
                    List.<Block>of(target.backbone().block(), target.projector()));
            ema.copyOnlineToTarget();
        } else {
            this.targetManager = null;
            this.target = null;
            this.ema = null;
        }
        replicas.add(new Replica(trainer.getManager(), online, new ParameterStore(trainer.getManager(), false),
                target, hasTarget ? new ParameterStore(targetManager, false) : null));
        for (int i = 1; i < split.replicas(); i++) {
            replicas.add(replica(split.devices().get(i), shapes));
        }
        this.lossOutput = hasTarget ? 1 : 0;
        this.cached = accumulate || !split.isWhole() ? new CachedGradientStep(split, replicas, lossOutput) : null;
    }

    /** A copy of the networks on {@code device}, with the primary's values. */
    private Replica replica(Device device, Shape[] shapes) {
        NDManager m = Torch.engine().newBaseManager(device);
        boolean hasTarget = target != null;
        Encoder o = new Encoder(config.resnet(), config.projector(), hasTarget ? config.predictor() : null);
        o.initialize(m, DataType.FLOAT32, shapes);
        ReplicaSync.broadcast(online, o);
        Encoder t = null;
        if (hasTarget) {
            t = new Encoder(config.resnet(), config.projector(), null);
            t.initialize(m, DataType.FLOAT32, shapes);
            t.freezeParameters(true);
            ReplicaSync.broadcast(target, t);
        }
        return new Replica(m, o, new ParameterStore(m, false), t, hasTarget ? new ParameterStore(m, false) : null);
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
        broadcast();
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

    /** How batches are cut (devices, micro-batches). */
    public BatchSplit split() {
        return split;
    }

    /** The networks of replica {@code i} (0: the primary's own), for tests. */
    Replica replica(int i) {
        return replicas.get(i);
    }

    /**
     * Batch norm in training mode (the default: batch statistics) or, for tests, in inference mode (running
     * statistics, which then do not change): the mode in which an accumulated step equals the whole-batch step.
     */
    void batchNormTraining(boolean on) {
        this.batchNormTraining = on;
    }

    /**
     * One optimisation step on {@code batch}: the loss over the whole batch, one LARS step, the EMA update; returns
     * the loss before the update. With micro-batches or several devices the gradient is accumulated as
     * {@link CachedGradientStep} does, the replicas' gradients are added into the primary's before the LARS step,
     * and the new weights are copied to the replicas after it.
     */
    public float step(PretrainBatch batch) {
        float value;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            // copies in the step scope: every array the step makes derives from these and dies with the scope
            NDArray w1 = weights(batch, batch.masks1(), scope);
            NDArray w2 = weights(batch, batch.masks2(), scope);
            NDArray ids1 = batch.masks1() == null ? null : local(batch.masks1().ids(), scope);
            NDArray ids2 = batch.masks2() == null ? null : local(batch.masks2().ids(), scope);
            CachedGradientStep.Loss loss = (o1, o2, t1, t2) -> loss(o1, o2, t1, t2, ids1, ids2);
            if (cached == null) {
                value = wholeBatch(scope, local(batch.view1(), scope), w1, local(batch.view2(), scope), w2, loss);
            } else {
                value = cached.run(scope, batch.view1(), w1, batch.view2(), w2, batchNormTraining, loss);
                for (int i = 1; i < replicas.size(); i++) {
                    ReplicaSync.addGradients(replicas.get(i).online(), online);
                }
            }
            trainer.step();
            if (ema != null) {
                ema.update(config.ema().tau(step));
            }
            broadcast();
        }
        step++;
        return value;
    }

    /** The plain step: both views of the whole batch through the networks, one backward pass. */
    private float wholeBatch(NDManager scope, NDArray x1, NDArray w1, NDArray x2, NDArray w2,
            CachedGradientStep.Loss loss) {
        Replica r = replicas.get(0);
        NDArray t1 = null;
        NDArray t2 = null;
        if (target != null) {
            t1 = r.target(x1, w1, batchNormTraining);
            t2 = r.target(x2, w2, batchNormTraining);
            t1.attach(scope);
            t2.attach(scope);
        }
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList o1 = r.online(x1, w1, batchNormTraining);
            NDList o2 = r.online(x2, w2, batchNormTraining);
            NDArray l = loss.of(o1.get(lossOutput), o2.get(lossOutput), t1, t2);
            float value = l.getFloat();
            gc.backward(l);
            o1.attach(scope);
            o2.attach(scope);
            l.attach(scope);
            return value;
        }
    }

    /** The method's loss on the loss inputs of the whole batch. */
    private NDArray loss(NDArray o1, NDArray o2, NDArray t1, NDArray t2, NDArray ids1, NDArray ids2) {
        return switch (config.method()) {
            case DETCON_B -> detcon.detconB(o1, o2, t1, t2, ids1, ids2).loss();
            case DETCON_S, SIMCLR -> detcon.detconS(o1, o2, ids1, ids2).loss();
            case BYOL -> ByolLoss.compute(squeeze(o1), squeeze(o2), squeeze(t1), squeeze(t2));
        };
    }

    /** The primary's values to the other replicas. */
    private void broadcast() {
        for (int i = 1; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            ReplicaSync.broadcast(online, r.online());
            if (target != null) {
                ReplicaSync.broadcast(target, r.target());
            }
        }
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
        for (int i = 1; i < replicas.size(); i++) {
            replicas.get(i).manager().close();
        }
        lars.release();
        trainer.close();
        model.close();
        if (targetManager != null) {
            targetManager.close();
        }
    }
}
