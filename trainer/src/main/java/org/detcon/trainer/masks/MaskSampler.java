package org.detcon.trainer.masks;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Draws R masks per view, with replacement, uniformly among the masks that exist in that view (detcon-spec.md
 * section 3), from a caller-supplied (seeded) generator, so a run is reproducible.
 *
 * <p>A view in which nothing exists (possible only for overlapping mask sets) gets R copies of the whole-image
 * mask with an id that matches nothing in the other view ({@link SampledMasks#NO_MASK_VIEW_1}/{@code _2}): its rows
 * have no positive, so they weigh 0 in the loss, but they still serve as negatives.
 */
public final class MaskSampler {

    private final int count;

    public MaskSampler(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive");
        }
        this.count = count;
    }

    public MaskSampler(MaskConfig config) {
        this(config.masksPerView());
    }

    /** @param view 1 or 2 (only used for the id of the empty-view fallback) */
    public SampledMasks sample(MaskCandidates candidates, int view, RandomGenerator rng) {
        int[] ids = new int[count];
        float[][] weights = new float[count][];
        int n = candidates.size();
        if (n == 0) {
            int cells = candidates.gridSize() * candidates.gridSize();
            float[] all = new float[cells];
            Arrays.fill(all, 1f / cells);
            Arrays.fill(ids, view == 1 ? SampledMasks.NO_MASK_VIEW_1 : SampledMasks.NO_MASK_VIEW_2);
            Arrays.fill(weights, all);
            return new SampledMasks(ids, weights);
        }
        for (int r = 0; r < count; r++) {
            int k = rng.nextInt(n);
            ids[r] = candidates.ids()[k];
            weights[r] = candidates.weights()[k];
        }
        return new SampledMasks(ids, weights);
    }
}
