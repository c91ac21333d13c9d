package org.detcon.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * What the project's optimizers share ({@link Lars} for pretraining, {@link Sgd} for fine-tuning): one momentum
 * buffer per parameter (saved and restored by checkpoints), a learning rate that is a function of the 0-based
 * update index (the step offset set on resume plus DJL's update count), and the update's bookkeeping: every
 * temporary lives in a scope closed after the update (otherwise results of ops on the weight would live on the
 * parameter manager until the model closes: a per-step leak), and the weight's gradient is zeroed afterwards
 * (DJL's PyTorch engine accumulates gradients across backward passes; its own optimizers zero them in their native
 * update). Subclasses say how the gradient moves the momentum and the weight ({@link #apply}); the weight is
 * updated in place (called by {@code Trainer.step()} outside gradient recording).
 */
public abstract class MomentumOptimizer extends Optimizer {

    private final LongToDoubleFunction learningRate;
    private final Map<String, Map<Device, NDArray>> momentum = new ConcurrentHashMap<>();
    private volatile double lastLearningRate;
    private volatile long stepOffset;

    protected MomentumOptimizer(OptimizerBuilder<?> builder, LongToDoubleFunction learningRate) {
        super(builder);
        this.learningRate = Objects.requireNonNull(learningRate, "learning rate");
    }

    /** The learning rate used by the most recent update. */
    public double lastLearningRate() {
        return lastLearningRate;
    }

    /** The momentum buffer of a parameter on a device, or null before its first update (for checkpoints). */
    public NDArray momentumState(String parameterId, Device device) {
        Map<Device, NDArray> m = momentum.get(parameterId);
        return m == null ? null : m.get(device);
    }

    /** Restores a momentum buffer (from a checkpoint) before the first update. */
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
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        long step = stepOffset + updateCount(parameterId) - 1L;
        double lr = learningRate.applyAsDouble(step);
        lastLearningRate = lr;
        NDArray mu = withDefaultState(momentum, parameterId, weight.getDevice(), k -> weight.zerosLike());
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = grad;
            if (rescaleGrad != 1f) {
                g = tmp(scope, g.mul(rescaleGrad));
            }
            apply(parameterId, weight, g, mu, lr, scope);
        }
        zeroGradient(weight);
    }

    /**
     * Updates momentum {@code mu} and {@code weight} in place from gradient {@code grad} at learning rate
     * {@code lr}; temporaries go to {@code scope} ({@link #tmp}).
     */
    protected abstract void apply(String parameterId, NDArray weight, NDArray grad, NDArray mu, double lr,
            NDManager scope);

    /** {@code x}, attached to {@code scope}. */
    protected static NDArray tmp(NDManager scope, NDArray x) {
        x.attach(scope);
        return x;
    }

    /** Zeroes {@code weight}'s gradient in place (libtorch keeps adding to it until then); no-op without one. */
    public static void zeroGradient(NDArray weight) {
        if (weight.hasGradient()) {
            try (NDArray wg = weight.getGradient()) {
                wg.subi(wg);
            }
        }
    }
}
