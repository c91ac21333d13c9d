package org.detcon.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Pooled vector of each mask = weighted mean of the backbone's feature vectors over the grid cells, as one
 * batched matrix product (DJL has no einsum): weights [N, R, h·w] (rows sum to 1) × features [N, h·w, C]
 * → [N, R, C].
 */
public final class MaskPooling {

    private MaskPooling() {
    }

    public static NDArray pool(NDArray features, NDArray weights) {
        Shape f = features.getShape();
        if (f.dimension() != 4) {
            throw new IllegalArgumentException("features must be [N, C, H, W], got " + f);
        }
        long n = f.get(0);
        long c = f.get(1);
        long cells = f.get(2) * f.get(3);
        Shape w = weights.getShape();
        if (w.dimension() != 3 || w.get(0) != n || w.get(2) != cells) {
            throw new IllegalArgumentException("mask weights must be [" + n + ", R, " + cells + "], got " + w);
        }
        NDArray cellsFirst = features.reshape(n, c, cells).transpose(0, 2, 1);
        return weights.toType(features.getDataType(), false).batchMatMul(cellsFirst);
    }
}
