package org.detcon.trainer.schedule;

/**
 * The "poly" schedule of DeepLab-style segmentation training, as PyTorch's {@code PolynomialLR}:
 * lr(k) = base · (1 − min(k, K)/K)^p.
 */
public record PolySchedule(double base, long totalSteps, double power) implements LrSchedule {

    public PolySchedule {
        if (!(base >= 0) || totalSteps <= 0 || !(power > 0)) {
            throw new IllegalArgumentException("need base >= 0, total > 0, power > 0; got " + base + ", " + totalSteps
                    + ", " + power);
        }
    }

    @Override
    public double at(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + k);
        }
        return base * Math.pow(1 - Math.min(k, totalSteps) / (double) totalSteps, power);
    }
}
