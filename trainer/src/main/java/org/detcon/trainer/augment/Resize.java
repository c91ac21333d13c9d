package org.detcon.trainer.augment;

import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/**
 * Crop-and-resize of an image (bicubic) and of label maps (nearest) with the same window, the same output grid
 * and the same optional horizontal flip, so the two stay aligned. Output pixel (i, j) of an S×S output samples the
 * source at x = cx + (j + ½)·cw/S − ½, y = cy + (i + ½)·ch/S − ½ (half-pixel centers, as TF/PyTorch without
 * align-corners); nearest picks pixel ⌊x + ½⌋ clamped into the window. Bicubic uses Keys' kernel with a = −0.5
 * (TF and PIL), taps clamped to the window's edge, no antialiasing; results are clipped to [0, 1].
 */
public final class Resize {

    private static final double A = -0.5;

    private Resize() {
    }

    /**
     * RGB image → float CHW in [0, 1] of {@code size}×{@code size}; flip mirrors the output horizontally. Two
     * separable passes in double precision (horizontal over every row of the window, three channels per read of
     * the interleaved pixels, then vertical), each output summing its four taps in order.
     */
    public static float[] bicubic(Image8 image, CropWindow c, int size, boolean flip) {
        return bicubic(image, c, size, size, flip);
    }

    /** {@link #bicubic(Image8, CropWindow, int, boolean)} to {@code outW}×{@code outH} (CHW, row length outW). */
    public static float[] bicubic(Image8 image, CropWindow c, int outW, int outH, boolean flip) {
        Image8 rgb = image.toRgb();
        int sw = rgb.width();
        byte[] px = rgb.pixels();
        int[] xi = new int[outW * 4];
        double[] xw = new double[outW * 4];
        taps(c.x(), c.w(), outW, xi, xw);
        int[] yi = new int[outH * 4];
        double[] yw = new double[outH * 4];
        taps(c.y(), c.h(), outH, yi, yw);
        int rows = c.h();
        int plane = rows * outW;
        double[] tmp = new double[3 * plane]; // [channel][window row][output column]
        for (int r = 0; r < rows; r++) {
            int rowBase = (c.y() + r) * sw;
            int t = r * outW;
            for (int j = 0; j < outW; j++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                for (int k = j * 4; k < j * 4 + 4; k++) {
                    double wk = xw[k];
                    int p = (rowBase + xi[k]) * 3;
                    s0 += wk * (px[p] & 0xFF);
                    s1 += wk * (px[p + 1] & 0xFF);
                    s2 += wk * (px[p + 2] & 0xFF);
                }
                tmp[t + j] = s0;
                tmp[plane + t + j] = s1;
                tmp[2 * plane + t + j] = s2;
            }
        }
        float[] out = new float[3 * outW * outH];
        for (int ch = 0; ch < 3; ch++) {
            int base = ch * outW * outH;
            for (int i = 0; i < outH; i++) {
                int q = i * 4;
                int o0 = ch * plane + (yi[q] - c.y()) * outW;
                int o1 = ch * plane + (yi[q + 1] - c.y()) * outW;
                int o2 = ch * plane + (yi[q + 2] - c.y()) * outW;
                int o3 = ch * plane + (yi[q + 3] - c.y()) * outW;
                double w0 = yw[q];
                double w1 = yw[q + 1];
                double w2 = yw[q + 2];
                double w3 = yw[q + 3];
                int line = base + i * outW;
                for (int j = 0; j < outW; j++) {
                    double s = 0;
                    s += w0 * tmp[o0 + j];
                    s += w1 * tmp[o1 + j];
                    s += w2 * tmp[o2 + j];
                    s += w3 * tmp[o3 + j];
                    float v = (float) Math.min(1.0, Math.max(0.0, s / 255.0));
                    out[line + (flip ? outW - 1 - j : j)] = v;
                }
            }
        }
        return out;
    }

    /** Label map → size×size with nearest sampling on the same grid as {@link #bicubic}. */
    public static LabelMap nearest(LabelMap map, CropWindow c, int size, boolean flip) {
        int[] src = new int[size];
        int[] srcY = new int[size];
        for (int j = 0; j < size; j++) {
            src[j] = nearestIndex(c.x(), c.w(), size, j);
            srcY[j] = nearestIndex(c.y(), c.h(), size, j);
        }
        int[] out = new int[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                out[i * size + (flip ? size - 1 - j : j)] = map.label(srcY[i], src[j]);
            }
        }
        return new LabelMap(size, size, out);
    }

    /**
     * The source index (within {@code [start, start + len)}) nearest to output sample j of {@code size} on the
     * half-pixel grid: {@code start + clamp(⌊(j + ½)·len/size⌋)}.
     */
    public static int nearestIndex(int start, int len, int size, int j) {
        double x = (j + 0.5) * len / size - 0.5;
        int k = (int) Math.floor(x + 0.5);
        return start + Math.max(0, Math.min(len - 1, k));
    }

    /** For each output j: the four source indices (clamped into the window) and normalised weights, at 4j..4j+3. */
    private static void taps(int start, int len, int size, int[] idx, double[] w) {
        for (int j = 0; j < size; j++) {
            double x = (j + 0.5) * len / size - 0.5;
            int x0 = (int) Math.floor(x);
            double t = x - x0;
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                int p = x0 - 1 + k;
                w[j * 4 + k] = cubic(t - (k - 1));
                sum += w[j * 4 + k];
                idx[j * 4 + k] = start + Math.max(0, Math.min(len - 1, p));
            }
            for (int k = 0; k < 4; k++) {
                w[j * 4 + k] /= sum;
            }
        }
    }

    static double cubic(double d) {
        double x = Math.abs(d);
        if (x <= 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
        return 0;
    }
}
