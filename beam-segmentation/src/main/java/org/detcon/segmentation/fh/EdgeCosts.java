package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;

/**
 * Edge costs (spec §3) on the smoothed image: {@code sqrt(((0 + d0*d0) + d1*d1) + d2*d2)} with
 * {@code d_c = I_c(a) - I_c(b)}, channels summed left to right ({@code sqrt(d*d)} for one channel), computed row
 * by row as the blur streams the smoothed rows ({@link GaussianBlur#forEachRow}); the smoothed image is never
 * stored.
 *
 * <p>Edges are addressed by <em>slot</em>: the edge of block {@code blk} (0 right, 1 down, 2 down-right,
 * 3 up-right; see {@link EdgeGraph}) at base pixel p is slot {@code blk*N + p} (N = W*H). Slots increase with the
 * edge index; slots of missing edges (last column, last row) are never used.
 */
final class EdgeCosts {

    final int width;
    final int height;
    final int channels;
    final int n;
    private final Image8 image;
    private final double[] halfWeights;
    /** Per block: offset of endpoint a / b from the slot (pixel offset minus blk*N). */
    final int[] slotOffA;
    final int[] slotOffB;

    EdgeCosts(Image8 image, double[] halfWeights) {
        this.image = image;
        this.halfWeights = halfWeights;
        this.width = image.width();
        this.height = image.height();
        this.channels = image.channels();
        this.n = width * height;
        int[] a = {1, width, width + 1, 1};
        int[] b = {0, 0, 0, width};
        slotOffA = new int[4];
        slotOffB = new int[4];
        for (int blk = 0; blk < 4; blk++) {
            slotOffA[blk] = a[blk] - blk * n;
            slotOffB[blk] = b[blk] - blk * n;
        }
    }

    /** Block (0..3) of a slot. */
    int blockOf(int slot) {
        return blockOf(slot, n);
    }

    /** Block (0..3) of a slot of an image of n pixels (branch-free). */
    static int blockOf(int slot, int n) {
        return (slot >= n ? 1 : 0) + (slot >= 2 * n ? 1 : 0) + (slot >= 3 * n ? 1 : 0);
    }

    /** Endpoint a (pixel) of a slot. */
    int endpointA(int slot) {
        return slot + slotOffA[blockOf(slot)];
    }

    /** Endpoint b (pixel) of a slot. */
    int endpointB(int slot) {
        return slot + slotOffB[blockOf(slot)];
    }

    /** The cost between the RGB samples {@code x[i..i+2]} and {@code y[j..j+2]}. */
    static double cost(double[] x, int i, double[] y, int j) {
        double d0 = x[i] - y[j];
        double d1 = x[i + 1] - y[j + 1];
        double d2 = x[i + 2] - y[j + 2];
        return Math.sqrt((d0 * d0 + d1 * d1) + d2 * d2);
    }

    /** The cost for one channel's difference. */
    static double cost(double d) {
        return Math.sqrt(d * d);
    }

    /** Number of rows of a block. */
    int rows(int blk) {
        return blk == 0 ? height : height - 1;
    }

    /** Number of edges per row of a block. */
    int cols(int blk) {
        return blk == 1 ? width : width - 1;
    }

    /** Receives the costs of the edges whose base pixels are in one row. */
    @FunctionalInterface
    interface RowSink {
        /**
         * Row y: {@code right[0..W-1)}, and when y &lt; H-1 also {@code down[0..W)}, {@code downRight[0..W-1)} and
         * {@code upRight[0..W-1)}; the edge at x of block blk has slot {@code blk*N + y*W + x}.
         */
        void row(int y, double[] right, double[] down, double[] downRight, double[] upRight);
    }

    /**
     * When set, {@link #forEachRow} also stores the smoothed image there, interleaved ({@code [p * channels + c]}),
     * so that {@link PointCosts} can read exact costs instead of recomputing the blur at both ends.
     */
    private double[] smoothed;

    /** Stores the smoothed image in {@code buffer} (at least N * channels long) during the next {@link #forEachRow}. */
    void keepSmoothed(double[] buffer) {
        this.smoothed = buffer;
    }

    /** The smoothed image stored by the last {@link #forEachRow}, or null. */
    double[] smoothed() {
        return smoothed;
    }

    /** Every edge's cost, row by row, from the smoothed rows as the blur makes them. */
    void forEachRow(RowSink sink) {
        int w = width;
        double[] store = smoothed;
        int ch = channels;
        double[] right = new double[w];
        double[] down = new double[w];
        double[] downRight = new double[w];
        double[] upRight = new double[w];
        double[][][] previous = new double[1][][];
        GaussianBlur.forEachRow(image, halfWeights, (y, next) -> {
            if (store != null) {
                for (int c = 0; c < ch; c++) {
                    double[] plane = next[c];
                    for (int x = 0, o = y * w * ch + c; x < w; x++, o += ch) {
                        store[o] = plane[x];
                    }
                }
            }
            if (y > 0) {
                double[][] cur = previous[0];
                // right: a = (y, x+1), b = (y, x); down: a = (y+1, x), b = (y, x);
                // down-right: a = (y+1, x+1), b = (y, x); up-right: a = (y, x+1), b = (y+1, x)
                diff(cur, 1, cur, 0, w - 1, right);
                diff(next, 0, cur, 0, w, down);
                diff(next, 1, cur, 0, w - 1, downRight);
                diff(cur, 1, next, 0, w - 1, upRight);
                sink.row(y - 1, right, down, downRight, upRight);
            }
            previous[0] = next;
        });
        diff(previous[0], 1, previous[0], 0, w - 1, right);
        sink.row(height - 1, right, null, null, null);
    }

    /** out[x] = cost between a[.][x + ao] and b[.][x + bo], x &lt; len (the formula of {@link #cost}). */
    private void diff(double[][] a, int ao, double[][] b, int bo, int len, double[] out) {
        if (channels == 3) {
            double[] a0 = a[0];
            double[] a1 = a[1];
            double[] a2 = a[2];
            double[] b0 = b[0];
            double[] b1 = b[1];
            double[] b2 = b[2];
            for (int x = 0; x < len; x++) {
                double d0 = a0[x + ao] - b0[x + bo];
                double d1 = a1[x + ao] - b1[x + bo];
                double d2 = a2[x + ao] - b2[x + bo];
                out[x] = Math.sqrt((d0 * d0 + d1 * d1) + d2 * d2);
            }
        } else {
            double[] a0 = a[0];
            double[] b0 = b[0];
            for (int x = 0; x < len; x++) {
                double d = a0[x + ao] - b0[x + bo];
                out[x] = Math.sqrt(d * d);
            }
        }
    }

    /** All costs in edge-index order (what numpy sorts). */
    double[] edgeOrder(int edgeCount) {
        double[] out = new double[edgeCount];
        int w = width;
        int h = height;
        int[] blockStart = {0, h * (w - 1), h * (w - 1) + (h - 1) * w, h * (w - 1) + (h - 1) * w + (h - 1) * (w - 1)};
        forEachRow((y, right, down, downRight, upRight) -> {
            System.arraycopy(right, 0, out, blockStart[0] + y * (w - 1), w - 1);
            if (down != null) {
                System.arraycopy(down, 0, out, blockStart[1] + y * w, w);
                System.arraycopy(downRight, 0, out, blockStart[2] + y * (w - 1), w - 1);
                System.arraycopy(upRight, 0, out, blockStart[3] + y * (w - 1), w - 1);
            }
        });
        return out;
    }
}
