package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;

/**
 * uint8 → float64 conversion ({@code v * (1.0/255.0)}) and scipy's separable Gaussian, per channel: axis 0
 * (columns) first, then axis 1 (rows), {@code reflect} boundary (edge sample repeated), and scipy's symmetric
 * summation order per sample: {@code acc = x[i]*w0; for k = r..1: acc += (x[i-k] + x[i+k]) * w[k]}. No FMA.
 *
 * <p>The output is streamed row by row, one array per channel ({@link #forEachRow}): each output row is made from
 * at most 2r+1 converted input rows, so the whole blur needs O(r·width) memory and the smoothed image is never
 * stored. {@link PointCosts} recomputes single samples with the same operations.
 */
public final class GaussianBlur {

    static final double INV_255 = 1.0 / 255.0;

    private GaussianBlur() {
    }

    /** Receives the smoothed image row by row. */
    @FunctionalInterface
    interface RowConsumer {
        /**
         * Row y, one array per channel ({@code planes[c][x]}). The arrays are reused: they stay valid during the
         * call for the next row and are overwritten by the row after that.
         */
        void row(int y, double[][] planes);
    }

    /** The smoothed image, row by row; with {@code halfWeights == null} just the converted samples. */
    static void forEachRow(Image8 img, double[] halfWeights, RowConsumer out) {
        int w = img.width();
        int h = img.height();
        int ch = img.channels();
        byte[] px = img.pixels();
        int rowLen = w * ch;
        double[][][] outRows = new double[2][ch][w];
        if (halfWeights == null) {
            for (int y = 0; y < h; y++) {
                double[][] planes = outRows[y & 1];
                for (int x = 0, i = y * rowLen; x < w; x++) {
                    for (int c = 0; c < ch; c++, i++) {
                        planes[c][x] = (px[i] & 0xFF) * INV_255;
                    }
                }
                out.row(y, planes);
            }
            return;
        }
        int r = halfWeights.length - 1;
        int[] rowIdx = reflectIndex(h, r);
        int[] colIdx = reflectIndex(w, r);
        // converted rows are stored planar (channel c at [c*w, (c+1)*w)), so the vertical pass writes each
        // channel straight into its padded line for the horizontal pass
        double[][] rows = new double[h][];
        java.util.ArrayDeque<double[]> free = new java.util.ArrayDeque<>();
        double[][] lines = new double[ch][w + 2 * r];
        for (int y = 0; y < h; y++) {
            // converted rows y-r..y+r (reflected) are made once and recycled when no later row needs them
            for (int j = y; j <= y + 2 * r; j++) {
                int src = rowIdx[j];
                if (rows[src] == null) {
                    double[] row = free.isEmpty() ? new double[rowLen] : free.pop();
                    for (int c = 0; c < ch; c++) {
                        for (int x = 0, o = src * rowLen + c, i = c * w; x < w; x++, o += ch, i++) {
                            row[i] = (px[o] & 0xFF) * INV_255;
                        }
                    }
                    rows[src] = row;
                }
            }
            double[][] planes = outRows[y & 1];
            for (int c = 0; c < ch; c++) {
                double[] line = lines[c];
                verticalRow(rows, rowIdx, y, r, halfWeights, c * w, w, line, r);
                for (int j = 0; j < r; j++) {
                    line[j] = line[r + colIdx[j]];
                    line[r + w + j] = line[r + colIdx[r + w + j]];
                }
                horizontalRow(line, w, r, halfWeights, planes[c]);
            }
            out.row(y, planes);
            if (y >= r) {
                // later rows read rows >= y+1-r (reflection only reaches back to row r-2-y)
                free.push(rows[y - r]);
                rows[y - r] = null;
            }
        }
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

    /**
     * Axis 0 for output row y: from converted rows y-r..y+r (reflected), samples [off, off+len) into
     * out[outOff..outOff+len). One pass per tap pair, or one fused pass for r = 3 (sigma 0.8), same operations.
     */
    private static void verticalRow(double[][] rows, int[] rowIdx, int y, int r, double[] wt, int off, int len,
            double[] out, int outOff) {
        double w0 = wt[0];
        double[] c0 = rows[rowIdx[y + r]];
        if (r == 3) {
            double w1 = wt[1];
            double w2 = wt[2];
            double w3 = wt[3];
            double[] u3 = rows[rowIdx[y]];
            double[] u2 = rows[rowIdx[y + 1]];
            double[] u1 = rows[rowIdx[y + 2]];
            double[] d1 = rows[rowIdx[y + 4]];
            double[] d2 = rows[rowIdx[y + 5]];
            double[] d3 = rows[rowIdx[y + 6]];
            for (int i = 0; i < len; i++) {
                int s = off + i;
                double acc = c0[s] * w0;
                acc = acc + (u3[s] + d3[s]) * w3;
                acc = acc + (u2[s] + d2[s]) * w2;
                acc = acc + (u1[s] + d1[s]) * w1;
                out[outOff + i] = acc;
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            out[outOff + i] = c0[off + i] * w0;
        }
        for (int k = r; k >= 1; k--) {
            double[] up = rows[rowIdx[y + r - k]];
            double[] dn = rows[rowIdx[y + r + k]];
            double wk = wt[k];
            for (int i = 0; i < len; i++) {
                out[outOff + i] = out[outOff + i] + (up[off + i] + dn[off + i]) * wk;
            }
        }
    }

    /**
     * Axis 1 of one channel's row from its padded line ({@code line[r + x]} = sample x, reflected beyond): tap-major,
     * so that it vectorises, or one fused pass for r = 3, same operations.
     */
    private static void horizontalRow(double[] line, int w, int r, double[] wt, double[] out) {
        double w0 = wt[0];
        if (r == 3) {
            double w1 = wt[1];
            double w2 = wt[2];
            double w3 = wt[3];
            for (int x = 0; x < w; x++) {
                double acc = line[x + 3] * w0;
                acc = acc + (line[x] + line[x + 6]) * w3;
                acc = acc + (line[x + 1] + line[x + 5]) * w2;
                acc = acc + (line[x + 2] + line[x + 4]) * w1;
                out[x] = acc;
            }
            return;
        }
        for (int x = 0; x < w; x++) {
            out[x] = line[r + x] * w0;
        }
        for (int k = r; k >= 1; k--) {
            double wk = wt[k];
            int lo = r - k;
            int hi = r + k;
            for (int x = 0; x < w; x++) {
                out[x] = out[x] + (line[lo + x] + line[hi + x]) * wk;
            }
        }
    }
}
