package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;

/**
 * uint8 → float64 conversion ({@code v * (1.0/255.0)}) and scipy's separable Gaussian, per channel: axis 0
 * (columns) first, then axis 1 (rows), {@code reflect} boundary (edge sample repeated), and scipy's symmetric
 * summation order per sample: {@code acc = x[i]*w0; for k = r..1: acc += (x[i-k] + x[i+k]) * w[k]}. No FMA.
 *
 * <p>Output is planar: {@code planes[c][y * width + x]}.
 */
public final class GaussianBlur {

    static final double INV_255 = 1.0 / 255.0;

    private GaussianBlur() {
    }

    /** Smoothed planes for the image; with {@code halfWeights == null} just the converted planes. */
    public static double[][] blur(Image8 img, double[] halfWeights) {
        int w = img.width();
        int h = img.height();
        int ch = img.channels();
        byte[] px = img.pixels();
        int n = w * h;
        double[][] planes = new double[ch][];
        double[] tmp = halfWeights == null ? null : new double[n];
        double[] line = halfWeights == null ? null : new double[w + 2 * (halfWeights.length - 1)];
        int[] rowIdx = halfWeights == null ? null : reflectIndex(h, halfWeights.length - 1);
        int[] colIdx = halfWeights == null ? null : reflectIndex(w, halfWeights.length - 1);
        for (int c = 0; c < ch; c++) {
            double[] plane = new double[n];
            double[] src = halfWeights == null ? plane : tmp;
            for (int p = 0, q = c; p < n; p++, q += ch) {
                src[p] = (px[q] & 0xFF) * INV_255;
            }
            if (halfWeights != null) {
                verticalPass(tmp, plane, w, h, halfWeights, rowIdx);
                horizontalPass(plane, w, h, halfWeights, colIdx, line);
            }
            planes[c] = plane;
        }
        return planes;
    }

    /**
     * For a line of length n and radius r: index[j] (j = 0..n+2r-1) = source of padded position j - r under
     * scipy's reflect (half-sample symmetric, applied repeatedly for short lines).
     */
    static int[] reflectIndex(int n, int r) {
        int[] idx = new int[n + 2 * r];
        for (int j = 0; j < idx.length; j++) {
            int i = j - r;
            while (i < 0 || i >= n) {
                i = i < 0 ? -i - 1 : 2 * n - 1 - i;
            }
            idx[j] = i;
        }
        return idx;
    }

    /** Axis 0: out[y][x] from rows y-r..y+r of in (row indices reflected). */
    static void verticalPass(double[] in, double[] out, int w, int h, double[] wt, int[] rowIdx) {
        int r = wt.length - 1;
        double w0 = wt[0];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            int c0 = rowIdx[y + r] * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = in[c0 + x] * w0;
            }
            for (int k = r; k >= 1; k--) {
                int up = rowIdx[y + r - k] * w;
                int dn = rowIdx[y + r + k] * w;
                double wk = wt[k];
                for (int x = 0; x < w; x++) {
                    out[o + x] = out[o + x] + (in[up + x] + in[dn + x]) * wk;
                }
            }
        }
    }

    /** Axis 1, in place, through a padded line buffer. */
    static void horizontalPass(double[] data, int w, int h, double[] wt, int[] colIdx, double[] line) {
        int r = wt.length - 1;
        double w0 = wt[0];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int j = 0; j < line.length; j++) {
                line[j] = data[o + colIdx[j]];
            }
            // same per-sample order as scipy (centre, then taps r..1), but tap-major so that it vectorises
            for (int x = 0; x < w; x++) {
                data[o + x] = line[x + r] * w0;
            }
            for (int k = r; k >= 1; k--) {
                double wk = wt[k];
                int lo = r - k;
                int hi = r + k;
                for (int x = 0; x < w; x++) {
                    data[o + x] = data[o + x] + (line[lo + x] + line[hi + x]) * wk;
                }
            }
        }
    }
}
