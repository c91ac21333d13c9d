package org.detcon.trainer.train;

import ai.djl.ndarray.NDArray;
import org.detcon.trainer.masks.MaskBatch;

/**
 * One training batch: the two views' images [B, 3, S, S] (normalised) and their sampled masks (ids [B, R],
 * weights [B, R, g·g]). BYOL ignores the masks.
 */
public record PretrainBatch(NDArray view1, NDArray view2, MaskBatch masks1, MaskBatch masks2) {

    public int batchSize() {
        return (int) view1.getShape().get(0);
    }
}
