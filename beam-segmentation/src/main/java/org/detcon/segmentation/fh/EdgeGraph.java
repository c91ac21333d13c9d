package org.detcon.segmentation.fh;

/**
 * skimage's 8-connected edge list (spec §3), never materialised: edges are numbered in 4 concatenated blocks
 * (right, down, down-right, up-right), each in row-major order, and the endpoints are derived from the index.
 * Every edge has a "base" pixel p = y*W + x and endpoints: right (p+1, p), down (p+W, p), down-right (p+W+1, p),
 * up-right (p+1, p+W). The rest of the FH code addresses an edge by its slot {@code block*N + p}
 * ({@link EdgeCosts}), which increases with the edge index.
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
        if (e > Integer.MAX_VALUE - 16 || 4L * width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image too large for FH: " + width + "x" + height + " has " + e
                    + " edges (at most " + (Integer.MAX_VALUE / 4) + " pixels)");
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

    /** The slots of all edges in edge-index order. */
    int[] slots() {
        int[] out = new int[edgeCount];
        int n = width * height;
        int e = 0;
        for (int blk = 0; blk < 4; blk++) {
            int rows = blk == 0 ? height : height - 1;
            int cols = blk == 1 ? width : width - 1;
            for (int y = 0; y < rows; y++) {
                for (int x = 0, s = blk * n + y * width; x < cols; x++) {
                    out[e++] = s + x;
                }
            }
        }
        return out;
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
}
