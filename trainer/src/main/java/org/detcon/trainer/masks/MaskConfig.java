package org.detcon.trainer.masks;

/**
 * How label maps become the masks of a view (detcon-spec.md section 3).
 *
 * @param gridSize      side of the backbone's feature grid (7 for 224 inputs and a stride-32 backbone)
 * @param masksPerView  labels sampled per view, with replacement (16)
 * @param soft          <i>option</i>: pool each label with its soft average-pooled coverage as weights instead of
 *                      the majority (hard) cells; which labels exist is the same either way
 */
public record MaskConfig(int gridSize, int masksPerView, boolean soft) {

    public static final MaskConfig DEFAULT = new MaskConfig(7, 16, false);

    public MaskConfig {
        if (gridSize <= 0 || masksPerView <= 0) {
            throw new IllegalArgumentException("grid size and masks per view must be positive, got " + gridSize
                    + ", " + masksPerView);
        }
    }
}
