package org.detcon.trainer.train;

/** The pretraining methods: DetCon_B and DetCon_S, and the BYOL and SimCLR baselines. */
public enum Method {
    /** BYOL-style online (with predictor) + EMA target; DetCon contrastive loss on masks. */
    DETCON_B(true, true),
    /** SimCLR-style single network; DetCon contrastive loss on masks with p = t. */
    DETCON_S(false, true),
    /** Online + EMA target on global pooling; regression loss. */
    BYOL(true, false),
    /** DetCon_S on the 1×1 grid (the global mask): supply grid-1 masks. */
    SIMCLR(false, true);

    private final boolean target;
    private final boolean contrastive;

    Method(boolean target, boolean contrastive) {
        this.target = target;
        this.contrastive = contrastive;
    }

    /** Whether the method has an EMA target network and an online predictor. */
    public boolean hasTarget() {
        return target;
    }

    /** Whether the loss is the DetCon contrastive loss (otherwise BYOL's regression loss). */
    public boolean contrastive() {
        return contrastive;
    }
}
