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
        double[][] rows = new double[h][];
        double[] vrow = new double[rowLen];
        double[] line = new double[w + 2 * r];
        for (int y = 0; y < h; y++) {
            // converted rows y-r..y+r (reflected) are made once and dropped when no later row needs them
            for (int j = y; j <= y + 2 * r; j++) {
                int src = rowIdx[j];
                if (rows[src] == null) {
                    double[] row = new double[rowLen];
                    for (int i = 0, o = src * rowLen; i < rowLen; i++) {
                        row[i] = (px[o + i] & 0xFF) * INV_255;
                    }
                    rows[src] = row;
                }
            }
            verticalRow(rows, rowIdx, y, r, halfWeights, vrow);
            double[][] planes = outRows[y & 1];
            for (int c = 0; c < ch; c++) {
                horizontalRow(vrow, c, ch, w, r, halfWeights, colIdx, line, planes[c]);
            }
            out.row(y, planes);
            if (y >= r) {
                rows[y - r] = null; // later rows read rows >= y+1-r (reflection only reaches back to row r-2-y)
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

    /** Axis 0 for output row y: from converted rows y-r..y+r (reflected), every sample of the row at once. */
    private static void verticalRow(double[][] rows, int[] rowIdx, int y, int r, double[] wt, double[] out) {
        double w0 = wt[0];
        double[] c0 = rows[rowIdx[y + r]];
        int len = out.length;
        for (int i = 0; i < len; i++) {
            out[i] = c0[i] * w0;
        }
        for (int k = r; k >= 1; k--) {
            double[] up = rows[rowIdx[y + r - k]];
            double[] dn = rows[rowIdx[y + r + k]];
            double wk = wt[k];
            for (int i = 0; i < len; i++) {
                out[i] = out[i] + (up[i] + dn[i]) * wk;
            }
        }
    }

    /** Axis 1 of channel c of one row, through a padded line buffer (tap-major, so that it vectorises). */
    private static void horizontalRow(double[] row, int c, int ch, int w, int r, double[] wt, int[] colIdx,
            double[] line, double[] out) {
        for (int j = 0, len = w + 2 * r; j < len; j++) {
            line[j] = row[colIdx[j] * ch + c];
        }
        double w0 = wt[0];
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
