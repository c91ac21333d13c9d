package org.detcon.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * LARS as a DJL {@link Optimizer} (detcon-spec.md section 6, BYOL's optax chain): for each parameter w with
 * gradient g,
 * <pre>
 *   g ← g + wd·w
 *   trust = η‖w‖/‖g‖   (1 if either norm is 0)
 *   μ ← m·μ + trust·g
 *   w ← w − lr·μ
 * </pre>
 * Excluded parameters (biases, batch norm; see {@link ParameterGroups}) skip the first two lines (trust = 1) but
 * keep momentum and the learning rate. The learning rate of update k (0-based: the step offset set on resume plus
 * DJL's update count, the maximum over parameters) is {@code schedule.applyAsDouble(k)}.
 *
 * <p>DJL's PyTorch engine accumulates gradients across backward passes and its own optimizers zero them in their
 * native update; this one therefore zeroes the weight's gradient after updating it. The weight is updated in place
 * (called by {@code Trainer.step()} outside gradient recording).
 */
public final class Lars extends Optimizer implements MomentumOptimizer {

    private final LarsConfig config;
    private final LongToDoubleFunction learningRate;
    private final Set<String> excluded;
    private final Map<String, Map<Device, NDArray>> momentum = new ConcurrentHashMap<>();
    private volatile double lastLearningRate;
    private volatile long stepOffset;

    private Lars(Builder b) {
        super(b);
        this.config = Objects.requireNonNull(b.config, "config");
        this.learningRate = Objects.requireNonNull(b.learningRate, "learning rate");
        this.excluded = Set.copyOf(b.excluded);
    }

    public static Builder builder() {
        return new Builder();
    }

    public LarsConfig config() {
        return config;
    }

    public boolean isExcluded(String parameterId) {
        return excluded.contains(parameterId);
    }

    /** The learning rate used by the most recent update. */
    public double lastLearningRate() {
        return lastLearningRate;
    }

    /** The momentum buffer of a parameter on a device, or null before its first update (for checkpoints). */
    @Override
    public NDArray momentumState(String parameterId, Device device) {
        Map<Device, NDArray> m = momentum.get(parameterId);
        return m == null ? null : m.get(device);
    }

    /** Restores a momentum buffer (from a checkpoint) before the first update. */
    @Override
    public void restoreMomentum(String parameterId, NDArray value) {
        NDArray copy = value.duplicate();
        copy.detach();
        momentum.computeIfAbsent(parameterId, k -> new ConcurrentHashMap<>()).put(copy.getDevice(), copy);
    }

    /**
     * Closes the momentum buffers. DJL detaches optimizer state from every manager, so nothing else frees it; call
     * this when training ends (the optimizer is unusable afterwards).
     */
    public void release() {
        for (Map<Device, NDArray> m : momentum.values()) {
            for (NDArray a : m.values()) {
                a.close();
            }
        }
        momentum.clear();
    }

    /** Steps already taken before this optimizer's first update (set when resuming from a checkpoint). */
    public void setStepOffset(long steps) {
        this.stepOffset = steps;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        long step = stepOffset + updateCount(parameterId) - 1L;
        double lr = learningRate.applyAsDouble(step);
        lastLearningRate = lr;
        NDArray mu = withDefaultState(momentum, parameterId, weight.getDevice(), k -> weight.zerosLike());
        // every temporary is attached to a scope that is closed here; otherwise results of ops on the weight
        // would live on the parameter manager until the model closes (a per-step leak)
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = grad;
            if (rescaleGrad != 1f) {
                g = tmp(scope, g.mul(rescaleGrad));
            }
            if (!excluded.contains(parameterId)) {
                if (config.weightDecay() != 0) {
                    g = tmp(scope, g.add(tmp(scope, weight.mul(config.weightDecay()))));
                }
                NDArray wNorm = tmp(scope, weight.norm());
                NDArray gNorm = tmp(scope, g.norm());
                NDArray ok = tmp(scope, tmp(scope, wNorm.gt(0)).logicalAnd(tmp(scope, gNorm.gt(0))));
                NDArray ratio = tmp(scope, tmp(scope, wNorm.mul(config.eta())).div(gNorm));
                NDArray trust = tmp(scope, NDArrays.where(ok, ratio, tmp(scope, wNorm.onesLike())));
                g = tmp(scope, g.mul(trust));
            }
            mu.muli(config.momentum()).addi(g);
            weight.subi(tmp(scope, mu.mul(lr)));
        }
        zeroGradient(weight);
    }

    private static NDArray tmp(NDManager scope, NDArray x) {
        x.attach(scope);
        return x;
    }

    private static void zeroGradient(NDArray weight) {
        if (weight.hasGradient()) {
            try (NDArray wg = weight.getGradient()) {
                wg.subi(wg);
            }
        }
    }

    /** Builder; {@link #setLearningRate} and {@link #setConfig} are required. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private LarsConfig config;
        private LongToDoubleFunction learningRate;
        private Set<String> excluded = Set.of();

        Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder setConfig(LarsConfig config) {
            this.config = config;
            return this;
        }

        /** Learning rate of the 0-based update index. */
        public Builder setLearningRate(LongToDoubleFunction learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Parameter ids excluded from weight decay and trust scaling (see {@link ParameterGroups}). */
        public Builder setExcluded(Set<String> excluded) {
            this.excluded = excluded;
            return this;
        }

        public Lars build() {
            return new Lars(this);
        }
    }
}
