package org.detcon.trainer.schedule;

/**
 * detcon-spec.md section 6: peak LR = base × batch / 256, linear warmup from 0 over the warmup steps, then cosine
 * decay to 0 at the last step (as BYOL's {@code learning_schedule}):
 * <pre>
 *   lr(k) = peak · k / W                                   for k &lt; W
 *   lr(k) = peak · ½ (1 + cos(π · min(k − W, K − W) / (K − W)))   otherwise
 * </pre>
 * with k the 0-based step, W the warmup steps and K the total steps.
 */
public record LearningRateSchedule(double baseLearningRate, int batchSize, long warmupSteps, long totalSteps) {

    public LearningRateSchedule {
        if (!(baseLearningRate >= 0) || batchSize <= 0 || warmupSteps < 0 || totalSteps <= 0
                || warmupSteps >= totalSteps) {
            throw new IllegalArgumentException("need base >= 0, batch > 0, 0 <= warmup < total; got base="
                    + baseLearningRate + " batch=" + batchSize + " warmup=" + warmupSteps + " total=" + totalSteps);
        }
    }

    /** Schedule with warmup and total given in epochs of {@code stepsPerEpoch} steps. */
    public static LearningRateSchedule ofEpochs(double base, int batchSize, double warmupEpochs, double epochs,
            long stepsPerEpoch) {
        return new LearningRateSchedule(base, batchSize, Math.round(warmupEpochs * stepsPerEpoch),
                Math.round(epochs * stepsPerEpoch));
    }

    public double peak() {
        return baseLearningRate * batchSize / 256.0;
    }

    /** The learning rate of 0-based step {@code k}. */
    public double at(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + k);
        }
        if (k < warmupSteps) {
            return peak() * k / warmupSteps;
        }
        long decaySteps = totalSteps - warmupSteps;
        double progress = Math.min(k - warmupSteps, decaySteps) / (double) decaySteps;
        return peak() * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
