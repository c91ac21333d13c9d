package org.detcon.trainer.train;

/** The pretraining methods: DetCon_B and DetCon_S, and the BYOL and SimCLR baselines. */
public enum Method {
    /** BYOL-style online (with predictor) + EMA target; DetCon contrastive loss on masks. */
    DETCON_B(true, true, "DetCon_B"),
    /** SimCLR-style single network; DetCon contrastive loss on masks with p = t. */
    DETCON_S(false, true, "DetCon_S"),
    /** Online + EMA target on global pooling; regression loss. */
    BYOL(true, false, "BYOL"),
    /** DetCon_S on the 1×1 grid (the global mask): supply grid-1 masks. */
    SIMCLR(false, true, "SimCLR");

    private final boolean target;
    private final boolean contrastive;
    private final String displayName;

    Method(boolean target, boolean contrastive, String displayName) {
        this.target = target;
        this.contrastive = contrastive;
        this.displayName = displayName;
    }

    /** The paper's name: DetCon_B, DetCon_S, BYOL, SimCLR. */
    public String displayName() {
        return displayName;
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
