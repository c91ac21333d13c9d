package org.detcon.eval.detection.ops;

/**
 * torchvision's {@code paste_masks_in_image} for one mask: the m×m probability map is padded by one zero on every
 * side, its box is grown by the same factor (m + 2)/m about its centre and truncated to integers, the padded map is
 * resized bilinearly (half-pixel centres, no antialiasing) to the box's {@code (x2 − x1 + 1)×(y2 − y1 + 1)} pixels
 * and written into an image-sized map, clipped to the image. float32 arithmetic.
 */
public final class MaskPaste {

    private MaskPaste() {
    }

    /**
     * Pastes {@code mask} (m×m, row-major) for box {@code boxes[i]} into an {@code imH×imW} row-major map of
     * probabilities (0 outside the box); {@code out} is cleared first.
     */
    public static void paste(float[] mask, int m, float[] boxes, int i, int imH, int imW, float[] out) {
        java.util.Arrays.fill(out, 0, imH * imW, 0f);
        int p = m + 2;
        float[] padded = new float[p * p];
        for (int y = 0; y < m; y++) {
            System.arraycopy(mask, y * m, padded, (y + 1) * p + 1, m);
        }
        float scale = (float) ((double) p / m);
        float wHalf = (boxes[4 * i + 2] - boxes[4 * i]) * 0.5f;
        float hHalf = (boxes[4 * i + 3] - boxes[4 * i + 1]) * 0.5f;
        float xc = (boxes[4 * i + 2] + boxes[4 * i]) * 0.5f;
        float yc = (boxes[4 * i + 3] + boxes[4 * i + 1]) * 0.5f;
        wHalf *= scale;
        hHalf *= scale;
        long bx0 = (long) (xc - wHalf);
        long by0 = (long) (yc - hHalf);
        long bx1 = (long) (xc + wHalf);
        long by1 = (long) (yc + hHalf);
        int w = (int) Math.max(bx1 - bx0 + 1, 1);
        int h = (int) Math.max(by1 - by0 + 1, 1);
        long x0 = Math.max(bx0, 0);
        long x1 = Math.min(bx1 + 1, imW);
        long y0 = Math.max(by0, 0);
        long y1 = Math.min(by1 + 1, imH);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        int[] ix0 = new int[w];
        int[] ix1 = new int[w];
        float[] lx = new float[w];
        linear(p, w, ix0, ix1, lx);
        int[] iy0 = new int[h];
        int[] iy1 = new int[h];
        float[] ly = new float[h];
        linear(p, h, iy0, iy1, ly);
        for (long y = y0; y < y1; y++) {
            int r = (int) (y - by0);
            float wy1 = ly[r];
            float wy0 = 1f - wy1;
            int a = iy0[r] * p;
            int b = iy1[r] * p;
            int row = (int) y * imW;
            for (long x = x0; x < x1; x++) {
                int c = (int) (x - bx0);
                float wx1 = lx[c];
                float wx0 = 1f - wx1;
                float top = wx0 * padded[a + ix0[c]] + wx1 * padded[a + ix1[c]];
                float bottom = wx0 * padded[b + ix0[c]] + wx1 * padded[b + ix1[c]];
                out[row + (int) x] = wy0 * top + wy1 * bottom;
            }
        }
    }

    /** PyTorch's linear source indices and weights for resizing {@code in} samples to {@code out}. */
    private static void linear(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0) {
                src = 0;
            }
            int lo = Math.min((int) Math.floor(src), in - 1);
            int hi = lo + (lo < in - 1 ? 1 : 0);
            i0[d] = lo;
            i1[d] = hi;
            lambda[d] = Math.min(Math.max(src - lo, 0f), 1f);
        }
    }
}
