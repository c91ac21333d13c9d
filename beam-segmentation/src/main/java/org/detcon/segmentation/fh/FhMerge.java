package org.detcon.segmentation.fh;

/**
 * The two Kruskal-style passes of skimage's FH over the sorted edges (spec §5–6).
 */
final class FhMerge {

    private FhMerge() {
    }

    /**
     * Main pass then min_size pass, both over the whole sorted edge list from the start.
     *
     * @param costs sorted costs ({@code costs[i]} is the cost of edge {@code order[i]})
     * @param order edge indices in sorted order
     */
    static DisjointSet run(EdgeGraph g, double[] costs, int[] order, double k, int minSize) {
        int n = g.width * g.height;
        DisjointSet ds = new DisjointSet(n, k);
        mainPass(g, costs, order, ds);
        if (minSize > 1) {
            minSizePass(g, order, ds, minSize);
        }
        return ds;
    }

    static void mainPass(EdgeGraph g, double[] costs, int[] order, DisjointSet ds) {
        final int w = g.width;
        final int wm1 = w - 1;
        final int downStart = g.downStart;
        final int dRightStart = g.dRightStart;
        final int uRightStart = g.uRightStart;
        final int[] size = ds.size;
        final float[] thr = ds.thr;
        final double k = ds.k;
        for (int i = 0, m = order.length; i < m; i++) {
            int e = order[i];
            int a;
            int b;
            if (e >= downStart && e < dRightStart) {
                b = e - downStart;
                a = b + w;
            } else if (e < downStart) {
                b = e + e / wm1;
                a = b + 1;
            } else if (e < uRightStart) {
                int r = e - dRightStart;
                b = r + r / wm1;
                a = b + w + 1;
            } else {
                int r = e - uRightStart;
                a = r + r / wm1 + 1;
                b = a - 1 + w;
            }
            int ra = ds.find(a);
            int rb = ds.find(b);
            if (ra == rb) {
                continue;
            }
            double c = costs[i];
            if (c < (double) Math.min(thr[ra], thr[rb])) {
                int nr = ds.union(ra, rb);
                thr[nr] = (float) (c + k / (double) size[nr]);
            }
        }
    }

    static void minSizePass(EdgeGraph g, int[] order, DisjointSet ds, int minSize) {
        final int w = g.width;
        final int wm1 = w - 1;
        final int downStart = g.downStart;
        final int dRightStart = g.dRightStart;
        final int uRightStart = g.uRightStart;
        final int[] size = ds.size;
        for (int i = 0, m = order.length; i < m; i++) {
            int e = order[i];
            int a;
            int b;
            if (e >= downStart && e < dRightStart) {
                b = e - downStart;
                a = b + w;
            } else if (e < downStart) {
                b = e + e / wm1;
                a = b + 1;
            } else if (e < uRightStart) {
                int r = e - dRightStart;
                b = r + r / wm1;
                a = b + w + 1;
            } else {
                int r = e - uRightStart;
                a = r + r / wm1 + 1;
                b = a - 1 + w;
            }
            int ra = ds.find(a);
            int rb = ds.find(b);
            if (ra == rb) {
                continue;
            }
            if (size[ra] < minSize || size[rb] < minSize) {
                ds.union(ra, rb);
            }
        }
    }

    /** Dense labels numbered by first appearance in raster order. */
    static int[] labels(DisjointSet ds) {
        int n = ds.parent.length;
        int[] out = new int[n];
        int next = 0;
        for (int p = 0; p < n; p++) {
            int r = ds.find(p);
            out[p] = r == p ? next++ : out[r]; // the root is the component's minimum pixel, so r <= p
        }
        return out;
    }
}
