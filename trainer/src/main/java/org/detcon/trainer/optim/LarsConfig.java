package org.detcon.trainer.optim;

/**
 * LARS hyper-parameters (detcon-spec.md section 6): weight decay, momentum m (0.9) and trust coefficient η (1e-3).
 * The learning rate comes from a schedule.
 */
public record LarsConfig(double weightDecay, double momentum, double eta) {

    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_ETA = 1e-3;

    public LarsConfig {
        if (!(weightDecay >= 0) || !(momentum >= 0 && momentum < 1) || !(eta > 0)) {
            throw new IllegalArgumentException("need wd >= 0, 0 <= momentum < 1, eta > 0; got " + weightDecay + ", "
                    + momentum + ", " + eta);
        }
    }

    public static LarsConfig withWeightDecay(double weightDecay) {
        return new LarsConfig(weightDecay, DEFAULT_MOMENTUM, DEFAULT_ETA);
    }
}
