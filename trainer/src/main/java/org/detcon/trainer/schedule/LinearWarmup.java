package org.detcon.trainer.schedule;

/**
 * A schedule with a linear warmup in front, as PyTorch's {@code LinearLR} chained with the schedule after it (the
 * detection protocols: 1,000 steps from 0.001× the learning rate, then {@link StepDecaySchedule}):
 * <pre>
 *   lr(k) = after(k) · (k &lt; W ? f + (1 − f)·k/W : 1)
 * </pre>
 * with k the 0-based step, W the warmup steps and f the start factor.
 */
public record LinearWarmup(LrSchedule after, long steps, double startFactor) implements LrSchedule {

    public LinearWarmup {
        if (steps < 0 || !(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("need warmup steps >= 0 and 0 <= start factor <= 1; got " + steps
                    + ", " + startFactor);
        }
    }

    @Override
    public double at(long k) {
        double lr = after.at(k);
        return k < steps ? lr * (startFactor + (1 - startFactor) * k / steps) : lr;
    }

    @Override
    public long totalSteps() {
        return after.totalSteps();
    }
}
