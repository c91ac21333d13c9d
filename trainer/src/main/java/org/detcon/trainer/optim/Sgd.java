package org.detcon.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.LongToDoubleFunction;

/**
 * SGD with momentum and weight decay as PyTorch's {@code torch.optim.SGD} computes it (dampening 0, not Nesterov),
 * the fine-tuning protocols' optimizer: for each parameter w with gradient g,
 * <pre>
 *   g ← g + wd·w
 *   μ ← m·μ + g          (μ starts at 0, so the first step's μ is g, as PyTorch's buffer)
 *   w ← w − lr·μ
 * </pre>
 * on every parameter that receives a gradient (PyTorch's default: batch-norm and bias parameters are decayed too;
 * frozen parameters get no gradient and are left alone). The learning rate of update k is
 * {@code schedule.applyAsDouble(k)}; the rest is {@link MomentumOptimizer}'s.
 *
 * @see SgdConfig
 */
public final class Sgd extends MomentumOptimizer {

    private final SgdConfig config;

    private Sgd(SgdConfig config, LongToDoubleFunction learningRate, Builder b) {
        super(b, learningRate);
        this.config = config;
    }

    /** SGD with {@code config}, at the learning rate of the 0-based update index. */
    public static Sgd of(SgdConfig config, LongToDoubleFunction learningRate) {
        return new Sgd(config, learningRate, new Builder());
    }

    public SgdConfig config() {
        return config;
    }

    @Override
    protected void apply(String parameterId, NDArray weight, NDArray grad, NDArray mu, double lr, NDManager scope) {
        NDArray g = grad;
        if (config.weightDecay() != 0) {
            g = tmp(scope, g.add(tmp(scope, weight.mul(config.weightDecay()))));
        }
        mu.muli(config.momentum()).addi(g);
        weight.subi(tmp(scope, mu.mul(lr)));
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
