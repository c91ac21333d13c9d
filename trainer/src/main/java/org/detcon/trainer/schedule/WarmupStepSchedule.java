package org.detcon.trainer.schedule;

import java.util.List;

/**
 * The fine-tuning protocols' learning rate (Detectron / torchvision detection reference): linear warmup from
 * {@code warmupFactor·base} over the first {@code warmupSteps} steps, then {@code base} multiplied by {@code gamma}
 * at every milestone passed:
 * <pre>
 *   lr(k) = base · w(k) · gamma^|{m ∈ milestones : m ≤ k}|,   w(k) = k &lt; W ? f + (1 − f)·k/W : 1
 * </pre>
 * with k the 0-based step (e.g. 1×: base 0.02, W = 1,000, f = 0.001, milestones 60k and 80k, gamma 0.1).
 */
public record WarmupStepSchedule(double base, long warmupSteps, double warmupFactor, List<Long> milestones,
        double gamma) {

    public WarmupStepSchedule {
        milestones = List.copyOf(milestones);
        if (!(base >= 0) || warmupSteps < 0 || !(warmupFactor >= 0 && warmupFactor <= 1) || !(gamma > 0)) {
            throw new IllegalArgumentException("need base >= 0, warmup >= 0, 0 <= warmup factor <= 1, gamma > 0; got "
                    + base + ", " + warmupSteps + ", " + warmupFactor + ", " + gamma);
        }
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i) <= milestones.get(i - 1)) {
                throw new IllegalArgumentException("milestones must increase: " + milestones);
            }
        }
    }

    /** The learning rate of 0-based step {@code k}. */
    public double at(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + k);
        }
        double w = k < warmupSteps ? warmupFactor + (1 - warmupFactor) * k / warmupSteps : 1;
        double lr = base * w;
        for (long m : milestones) {
            if (k >= m) {
                lr *= gamma;
            }
        }
        return lr;
    }
}
