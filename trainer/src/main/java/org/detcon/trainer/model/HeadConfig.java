package org.detcon.trainer.model;

/**
 * An MLP head: Linear(hidden, bias) → BN → ReLU → Linear(out, no bias) (detcon-spec.md section 4).
 * DetCon_B/BYOL projector and predictor: 4096 → 256; DetCon_S/SimCLR projector: 2048 → 128.
 */
public record HeadConfig(int hidden, int out) {

    public static final HeadConfig BYOL = new HeadConfig(4096, 256);
    public static final HeadConfig SIMCLR = new HeadConfig(2048, 128);

    public HeadConfig {
        if (hidden <= 0 || out <= 0) {
            throw new IllegalArgumentException("head sizes must be positive");
        }
    }
}
