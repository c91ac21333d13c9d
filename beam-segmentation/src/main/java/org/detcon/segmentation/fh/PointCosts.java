package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;

/**
 * Exact edge costs for the few edges whose exact cost is needed after the costs were truncated into keys: read from
 * the smoothed image when the blur kept it ({@link EdgeCosts#keepSmoothed}, small images), else computed from the
 * 8-bit image alone: each endpoint's smoothed samples are recomputed with exactly the operations of
 * {@link GaussianBlur} (the same taps, reflections and summation order), so the costs are bit-identical to
 * {@link EdgeCosts}'. About (2r+1)² multiply-adds per sample.
 */
final class PointCosts implements BucketSort.ExactCost {

    private final byte[] px;
    private final int width;
    private final int channels;
    private final double[] wt;
    private final int r;
    private final int[] rowIdx;
    private final int[] colIdx;
    /** The slots' endpoints. */
    private final EdgeCosts edges;
    private final double[] va;
    private final double[] vb;
    private final double[] column;
    /** The smoothed image kept by the blur ({@link EdgeCosts#keepSmoothed}), or null: then recomputed per sample. */
    private final double[] stored;

    PointCosts(Image8 image, double[] halfWeights, EdgeCosts layout) {
        if (image.channels() != 1 && image.channels() != 3) {
            throw new IllegalArgumentException("FH supports 1 or 3 channels, got " + image.channels());
        }
        this.px = image.pixels();
        this.width = image.width();
        this.channels = image.channels();
        this.wt = halfWeights;
        this.r = halfWeights == null ? 0 : halfWeights.length - 1;
        this.rowIdx = GaussianBlur.reflectIndex(image.height(), r);
        this.colIdx = GaussianBlur.reflectIndex(width, r);
        this.edges = layout;
        this.va = new double[channels];
        this.vb = new double[channels];
        this.column = new double[2 * r + 1];
        this.stored = layout.smoothed();
    }

    /** The exact cost of the edge in a slot. */
    @Override
    public double cost(int slot) {
        int a = edges.endpointA(slot);
        int b = edges.endpointB(slot);
        if (stored != null) {
            return channels == 3 ? EdgeCosts.cost(stored, 3 * a, stored, 3 * b) : EdgeCosts.cost(stored[a] - stored[b]);
        }
        smoothed(a, va);
        smoothed(b, vb);
        return channels == 3 ? EdgeCosts.cost(va, 0, vb, 0) : EdgeCosts.cost(va[0] - vb[0]);
    }

    /** The smoothed samples of pixel p. */
    private void smoothed(int p, double[] out) {
        int y = p / width;
        int x = p - y * width;
        for (int c = 0; c < channels; c++) {
            if (wt == null) {
                out[c] = (px[p * channels + c] & 0xFF) * GaussianBlur.INV_255;
                continue;
            }
            // the vertical pass at the 2r+1 columns the horizontal tap reads (padded positions x..x+2r)
            for (int j = 0; j <= 2 * r; j++) {
                column[j] = vertical(y, colIdx[x + j], c);
            }
            double acc = column[r] * wt[0];
            for (int k = r; k >= 1; k--) {
                acc = acc + (column[r - k] + column[r + k]) * wt[k];
            }
            out[c] = acc;
        }
    }

    private double vertical(int y, int col, int c) {
        double acc = sample(rowIdx[y + r], col, c) * wt[0];
        for (int k = r; k >= 1; k--) {
            acc = acc + (sample(rowIdx[y + r - k], col, c) + sample(rowIdx[y + r + k], col, c)) * wt[k];
        }
        return acc;
    }

    private double sample(int row, int col, int c) {
        return (px[(row * width + col) * channels + c] & 0xFF) * GaussianBlur.INV_255;
    }
}
