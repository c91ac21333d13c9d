package org.detcon.segmentation.fh;

/**
 * skimage's 8-connected edge list (spec §3), never materialised: edges are numbered in 4 concatenated blocks
 * (right, down, down-right, up-right), each in row-major order, and the endpoints are derived from the index.
 * Every edge has a "base" pixel p = y*W + x and endpoints: right (p+1, p), down (p+W, p), down-right (p+W+1, p),
 * up-right (p+1, p+W).
 */
public final class EdgeGraph {

    final int width;
    final int height;
    /** First index of the down, down-right and up-right blocks, and the total count. */
    final int downStart;
    final int dRightStart;
    final int uRightStart;
    final int edgeCount;

    public EdgeGraph(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("graph size must be positive, got " + width + "x" + height);
        }
        long e = edgeCount(width, height);
        if (e > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image too large for FH: " + width + "x" + height + " has " + e
                    + " edges (max " + (Integer.MAX_VALUE - 16) + ")");
        }
        this.width = width;
        this.height = height;
        this.downStart = height * (width - 1);
        this.dRightStart = downStart + (height - 1) * width;
        this.uRightStart = dRightStart + (height - 1) * (width - 1);
        this.edgeCount = (int) e;
    }

    /** E = 4HW - 3H - 3W + 2. */
    public static long edgeCount(int width, int height) {
        return 4L * width * height - 3L * height - 3L * width + 2;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int edgeCount() {
        return edgeCount;
    }

    /** Bits of a payload that hold the base pixel; the two bits above hold the block (0..3). */
    static final int BLOCK_SHIFT = 29;
    static final int BASE_MASK = (1 << BLOCK_SHIFT) - 1;

    /**
     * Payloads in edge-index order: {@code block << 29 | base}. The sorts carry these instead of edge indices
     * (a sort never looks at the payload, so the order is the same) because they decode without a division.
     */
    public int[] payloads() {
        int[] out = new int[edgeCount];
        int e = 0;
        int w = width;
        for (int y = 0; y < height; y++) {
            for (int x = 0, p = y * w; x < w - 1; x++, p++) {
                out[e++] = p;
            }
        }
        for (int p = 0, m = (height - 1) * w; p < m; p++) {
            out[e++] = 1 << BLOCK_SHIFT | p;
        }
        for (int blk = 2; blk <= 3; blk++) {
            for (int y = 0; y < height - 1; y++) {
                for (int x = 0, p = y * w; x < w - 1; x++, p++) {
                    out[e++] = blk << BLOCK_SHIFT | p;
                }
            }
        }
        return out;
    }

    /** Offset of endpoint a from the base pixel, per block. */
    int[] offsetsA() {
        return new int[] {1, width, width + 1, 1};
    }

    /** Offset of endpoint b from the base pixel, per block. */
    int[] offsetsB() {
        return new int[] {0, 0, 0, width};
    }

    /** Edge index of a payload. */
    public int edgeIndex(int payload) {
        int blk = payload >>> BLOCK_SHIFT;
        int p = payload & BASE_MASK;
        switch (blk) {
            case 0:
                return p - p / width;
            case 1:
                return downStart + p;
            case 2:
                return dRightStart + p - p / width;
            default:
                return uRightStart + p - p / width;
        }
    }

    /** First endpoint of edge e (the "a" column of skimage's edge array). */
    public int endpointA(int e) {
        if (e < downStart) {
            return base(e, width - 1) + 1;
        } else if (e < dRightStart) {
            return e - downStart + width;
        } else if (e < uRightStart) {
            return base(e - dRightStart, width - 1) + width + 1;
        } else {
            return base(e - uRightStart, width - 1) + 1;
        }
    }

    /** Second endpoint of edge e (the "b" column of skimage's edge array). */
    public int endpointB(int e) {
        if (e < downStart) {
            return base(e, width - 1);
        } else if (e < dRightStart) {
            return e - downStart;
        } else if (e < uRightStart) {
            return base(e - dRightStart, width - 1);
        } else {
            return base(e - uRightStart, width - 1) + width;
        }
    }

    /** y*W + x for the r-th cell of a block laid out with {@code cols} cells per row. */
    private static int base(int r, int cols) {
        return r + r / cols;
    }

    /**
     * Edge costs (spec §3) in edge-index order: {@code sqrt(((0 + d0*d0) + d1*d1) + d2*d2)} with
     * {@code d_c = I_c(a) - I_c(b)}, channels summed left to right.
     */
    public double[] costs(double[][] planes) {
        double[] out = new double[edgeCount];
        int e = fillCosts(planes, out, false);
        if (e != edgeCount) {
            throw new IllegalStateException("edge count mismatch " + e + " != " + edgeCount);
        }
        return out;
    }

    /**
     * The same costs in slot layout: the edge of block {@code blk} at base pixel p is at {@code blk*N + p}
     * (N = W*H). Slots of missing edges (last column / last row) stay 0 and are never referenced. Slot numbers
     * increase with the edge index.
     */
    public double[] costsBySlot(double[][] planes) {
        double[] out = new double[4 * width * height];
        fillCosts(planes, out, true);
        return out;
    }

    /** Slot of edge e's block and base pixel (see {@link #costsBySlot}). */
    public int slotOfPayload(int payload) {
        return (payload >>> BLOCK_SHIFT) * (width * height) + (payload & BASE_MASK);
    }

    private int fillCosts(double[][] planes, double[] out, boolean slots) {
        int w = width;
        int h = height;
        int n = w * h;
        int e = 0;
        // right: a = p+1, b = p
        for (int y = 0; y < h; y++) {
            int p = y * w;
            e += fill(planes, out, slots ? p : e, p + 1, p, w - 1);
        }
        // down: a = p+W, b = p (one contiguous run)
        e += fill(planes, out, slots ? n : e, w, 0, (h - 1) * w);
        // down-right: a = p+W+1, b = p
        for (int y = 0; y < h - 1; y++) {
            int p = y * w;
            e += fill(planes, out, slots ? 2 * n + p : e, p + w + 1, p, w - 1);
        }
        // up-right: a = p+1, b = p+W
        for (int y = 0; y < h - 1; y++) {
            int p = y * w;
            e += fill(planes, out, slots ? 3 * n + p : e, p + 1, p + w, w - 1);
        }
        return e;
    }

    /** out[e..e+len) = cost between pixels a+i and b+i; returns the number written. */
    private static int fill(double[][] planes, double[] out, int e, int a, int b, int len) {
        if (len <= 0) {
            return 0;
        }
        if (planes.length == 1) {
            double[] p0 = planes[0];
            for (int i = 0; i < len; i++) {
                double d = p0[a + i] - p0[b + i];
                out[e + i] = Math.sqrt(d * d);
            }
        } else if (planes.length == 3) {
            double[] p0 = planes[0];
            double[] p1 = planes[1];
            double[] p2 = planes[2];
            for (int i = 0; i < len; i++) {
                double d0 = p0[a + i] - p0[b + i];
                double d1 = p1[a + i] - p1[b + i];
                double d2 = p2[a + i] - p2[b + i];
                out[e + i] = Math.sqrt((d0 * d0 + d1 * d1) + d2 * d2);
            }
        } else {
            for (int i = 0; i < len; i++) {
                double s = 0.0;
                for (double[] pl : planes) {
                    double d = pl[a + i] - pl[b + i];
                    s = s + d * d;
                }
                out[e + i] = Math.sqrt(s);
            }
        }
        return len;
    }
}
