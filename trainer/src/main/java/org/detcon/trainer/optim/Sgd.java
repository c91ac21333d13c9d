package org.detcon.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * SGD with momentum and weight decay as {@code torch.optim.SGD} (dampening 0, not Nesterov), the fine-tuning
 * protocols' optimizer: for each parameter w with gradient g,
 * <pre>
 *   g ← g + wd·w
 *   μ ← m·μ + g      (μ = g at the first update)
 *   w ← w − lr·μ
 * </pre>
 * Weight decay applies to every parameter (torchvision's detection reference). The learning rate of update k
 * (0-based: the step offset set on resume plus the update count) is {@code learningRate.applyAsDouble(k)}. Like
 * {@link Lars} it zeroes each weight's gradient after updating it (DJL's PyTorch engine accumulates gradients) and
 * can be driven by a DJL {@code Trainer} or by calling {@link #update} directly.
 */
public final class Sgd extends Optimizer implements MomentumOptimizer {

    private final double momentum;
    private final double weightDecay;
    private final LongToDoubleFunction learningRate;
    private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();
    private volatile long stepOffset;
    private volatile double lastLearningRate;

    public Sgd(double momentum, double weightDecay, LongToDoubleFunction learningRate) {
        super(new Builder());
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need 0 <= momentum < 1 and weight decay >= 0, got " + momentum + ", "
                    + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.learningRate = learningRate;
    }

    /** Steps already taken before this optimizer's first update (set when resuming from a checkpoint). */
    public void setStepOffset(long steps) {
        this.stepOffset = steps;
    }

    public double lastLearningRate() {
        return lastLearningRate;
    }

    @Override
    public NDArray momentumState(String parameterId, Device device) {
        Map<Device, NDArray> m = buffers.get(parameterId);
        return m == null ? null : m.get(device);
    }

    @Override
    public void restoreMomentum(String parameterId, NDArray value) {
        NDArray copy = value.duplicate();
        copy.detach();
        buffers.computeIfAbsent(parameterId, k -> new ConcurrentHashMap<>()).put(copy.getDevice(), copy);
    }

    /** Closes the momentum buffers (DJL detaches optimizer state from every manager); the optimizer is done. */
    public void release() {
        for (Map<Device, NDArray> m : buffers.values()) {
            for (NDArray a : m.values()) {
                a.close();
            }
        }
        buffers.clear();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        long step = stepOffset + updateCount(parameterId) - 1L;
        double lr = learningRate.applyAsDouble(step);
        lastLearningRate = lr;
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = grad;
            if (weightDecay != 0) {
                g = tmp(scope, g.add(tmp(scope, weight.mul(weightDecay))));
            }
            Map<Device, NDArray> perDevice = buffers.computeIfAbsent(parameterId, k -> new ConcurrentHashMap<>());
            NDArray mu = perDevice.get(weight.getDevice());
            if (mu == null) {
                mu = g.duplicate();
                mu.detach();
                perDevice.put(weight.getDevice(), mu);
            } else {
                mu.muli(momentum).addi(g);
            }
            weight.subi(tmp(scope, mu.mul(lr)));
        }
        if (weight.hasGradient()) {
            try (NDArray wg = weight.getGradient()) {
                wg.subi(wg);
            }
        }
    }

    private static NDArray tmp(NDManager scope, NDArray x) {
        x.attach(scope);
        return x;
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
