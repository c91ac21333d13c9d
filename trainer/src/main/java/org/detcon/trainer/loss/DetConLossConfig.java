package org.detcon.trainer.loss;

/** Configuration of {@link DetConLoss}: the softmax temperature τ (0.1 in the paper). */
public record DetConLossConfig(double temperature) {

    public static final DetConLossConfig DEFAULT = new DetConLossConfig(0.1);

    public DetConLossConfig {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
    }
}
