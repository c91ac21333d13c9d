package org.detcon.eval.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing of [N, C, H, W] maps as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)},
 * built from two matrix products (out = A_y · X · A_xᵀ with the interpolation matrices), so it is exact, has no
 * antialiasing (DJL's {@code interpolate} turns it on) and is differentiable by the engine. Source coordinate of
 * output index d: {@code s = (d + ½)·in/out − ½}, clamped at 0; taps ⌊s⌋ and ⌊s⌋ + 1 (the last index repeats).
 * Meant for upsampling (logits and predictions to the input size); never used to downsample labels.
 */
public final class Bilinear {

    private Bilinear() {
    }

    /** {@code x} [N, C, H, W] resized to [N, C, h, w]. */
    public static NDArray resize(NDArray x, int h, int w) {
        Shape s = x.getShape();
        int inH = (int) s.get(2);
        int inW = (int) s.get(3);
        if (inH == h && inW == w) {
            return x;
        }
        NDManager m = x.getManager();
        NDArray ax = m.create(matrix(inW, w), new Shape(w, inW)).transpose(); // [inW, w]
        NDArray ay = m.create(matrix(inH, h), new Shape(h, inH));              // [h, inH]
        NDArray rows = x.matMul(ax);                                           // [N, C, inH, w]
        return ay.matMul(rows);                                                // [N, C, h, w]
    }

    /** The [out, in] interpolation matrix of one axis, row-major. */
    static float[] matrix(int in, int out) {
        float[] a = new float[out * in];
        double scale = (double) in / out;
        for (int d = 0; d < out; d++) {
            double src = Math.max(0, (d + 0.5) * scale - 0.5);
            int i0 = (int) src;
            int i1 = Math.min(i0 + 1, in - 1);
            double l1 = src - i0;
            a[d * in + i0] += (float) (1 - l1);
            a[d * in + i1] += (float) l1;
        }
        return a;
    }
}
