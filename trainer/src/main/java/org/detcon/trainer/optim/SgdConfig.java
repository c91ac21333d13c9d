package org.detcon.trainer.optim;

/** {@link Sgd}'s hyper-parameters: momentum (0.9 in every fine-tuning protocol) and weight decay. */
public record SgdConfig(double momentum, double weightDecay) {

    public SgdConfig {
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need 0 <= momentum < 1 and weight decay >= 0; got " + momentum + ", "
                    + weightDecay);
        }
    }
}
