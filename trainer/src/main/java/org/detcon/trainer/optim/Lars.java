package org.detcon.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongToDoubleFunction;

/**
 * LARS as a DJL optimizer (detcon-spec.md section 6, BYOL's optax chain): for each parameter w with gradient g,
 * <pre>
 *   g ← g + wd·w
 *   trust = η‖w‖/‖g‖   (1 if either norm is 0)
 *   μ ← m·μ + trust·g
 *   w ← w − lr·μ
 * </pre>
 * Excluded parameters (biases, batch norm; see {@link ParameterGroups}) skip the first two lines (trust = 1) but
 * keep momentum and the learning rate. The learning rate of update k (0-based: the step offset set on resume plus
 * DJL's update count, the maximum over parameters) is {@code schedule.applyAsDouble(k)}. Momentum state, the
 * update's scope and the gradient reset are {@link MomentumOptimizer}'s.
 */
public final class Lars extends MomentumOptimizer {

    private final LarsConfig config;
    private final Set<String> excluded;

    private Lars(Builder b) {
        super(b, b.learningRate);
        this.config = Objects.requireNonNull(b.config, "config");
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

    @Override
    protected void apply(String parameterId, NDArray weight, NDArray grad, NDArray mu, double lr, NDManager scope) {
        NDArray g = grad;
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
