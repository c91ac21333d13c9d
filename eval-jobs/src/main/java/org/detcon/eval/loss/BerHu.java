package org.detcon.eval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * The reverse Huber (berHu) loss of Laina et al. over the valid pixels (ground truth &gt; 0): with e = prediction −
 * ground truth and c = ⅕ max |e| over the batch's valid pixels (a constant: no gradient flows through it),
 * {@code |e|} where |e| ≤ c and {@code (e² + c²) / 2c} above, averaged over the valid pixels.
 */
public final class BerHu {

    /** Keeps c away from 0 when every error is 0 (the loss is 0 then either way). */
    private static final float MIN_C = 1e-12f;

    private BerHu() {
    }

    /** @param pred, gt [N, 1, H, W] depths in metres; gt 0 where unknown */
    public static NDArray loss(NDArray pred, NDArray gt) {
        NDArray mask = gt.gt(0).toType(pred.getDataType(), false);
        NDArray e = pred.sub(gt).mul(mask);
        NDArray a = e.abs();
        NDArray c = a.max().mul(0.2f).stopGradient().maximum(MIN_C);
        NDArray l2 = e.square().add(c.square()).div(c.mul(2));
        NDArray per = NDArrays.where(a.lte(c), a, l2).mul(mask);
        return per.sum().div(mask.sum().maximum(1f));
    }
}
