package org.detcon.trainer.masks;

/**
 * The masks drawn for one view: {@code ids[r]} and pooling weights {@code weights[r]} (g·g cells, summing to 1)
 * of each of the R draws. The same object feeds the online and the target network.
 */
public record SampledMasks(int[] ids, float[][] weights) {

    /** Id given to the whole-image fallback of a view in which no mask exists (never matches across views). */
    public static final int NO_MASK_VIEW_1 = -1;
    public static final int NO_MASK_VIEW_2 = -2;

    public int count() {
        return ids.length;
    }
}
