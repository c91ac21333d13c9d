package org.detcon.eval.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * PyTorch's {@code pixel_shuffle}: [N, C·r², H, W] → [N, C, H·r, W·r], input channel {@code c·r² + a·r + b} going to
 * output position (r·y + a, r·x + b) of channel c. With a convolution before it, this is the learned r× upsampling
 * DJL's engine lacks a transposed convolution for.
 */
public final class DepthToSpace {

    private DepthToSpace() {
    }

    public static NDArray apply(NDArray x, int r) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / ((long) r * r);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, r, r, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * r, w * r);
    }
}
