package org.detcon.trainer.schedule;

import java.util.Arrays;

/**
 * The fine-tuning protocols' step schedule, as PyTorch's {@code MultiStepLR}: lr(k) = base · γ^n with n the number
 * of milestones ≤ k; milestones are fractions of the run ({0.7, 0.9} with γ = 0.1: ×0.1 at 70 % and at 90 %),
 * at step {@code round(f · total)}.
 */
public record StepDecaySchedule(double base, long totalSteps, long[] milestones, double gamma) implements LrSchedule {

    public StepDecaySchedule {
        if (!(base >= 0) || totalSteps <= 0 || !(gamma > 0)) {
            throw new IllegalArgumentException("need base >= 0, total > 0, gamma > 0; got " + base + ", " + totalSteps
                    + ", " + gamma);
        }
        milestones = milestones.clone();
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] < milestones[i - 1]) {
                throw new IllegalArgumentException("milestones must be ascending: " + Arrays.toString(milestones));
            }
        }
    }

    /** Milestones at {@code fractions} of {@code total} steps. */
    public static StepDecaySchedule ofFractions(double base, long total, double[] fractions, double gamma) {
        long[] m = new long[fractions.length];
        for (int i = 0; i < m.length; i++) {
            if (!(fractions[i] > 0 && fractions[i] <= 1)) {
                throw new IllegalArgumentException("milestone fractions must be in (0, 1], got " + fractions[i]);
            }
            m[i] = Math.round(fractions[i] * total);
        }
        return new StepDecaySchedule(base, total, m, gamma);
    }

    @Override
    public double at(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + k);
        }
        double lr = base;
        for (long m : milestones) {
            if (k >= m) {
                lr *= gamma;
            }
        }
        return lr;
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepDecaySchedule s && s.base == base && s.totalSteps == totalSteps && s.gamma == gamma
                && Arrays.equals(s.milestones, milestones);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base) * 31 + Arrays.hashCode(milestones);
    }
}
