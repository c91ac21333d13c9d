package org.detcon.segmentation.fh;

/**
 * The two Kruskal-style passes of skimage's FH over the sorted edges (spec §5–6).
 */
final class FhMerge {

    private FhMerge() {
    }

    /**
     * Main pass then min_size pass (spec §5–6) over the sorted edges.
     *
     * @param costs sorted costs ({@code costs[i]} is the cost of the edge with payload {@code order[i]})
     * @param order edge payloads ({@link EdgeGraph#payloads()}) in sorted order; overwritten
     */
    static DisjointSet run(EdgeGraph g, double[] costs, int[] order, double k, int minSize) {
        int n = g.width * g.height;
        DisjointSet ds = new DisjointSet(n, k);
        int rejected = mainPass(g, costs, order, ds);
        if (minSize > 1) {
            minSizePass(g, order, rejected, ds, minSize);
        }
        return ds;
    }

    /**
     * The main pass. Edges that were internal or merged are internal for good, so only the edges it rejected (in
     * sorted order) can merge in the min_size pass: they are compacted to the front of {@code order}, and their
     * count is returned. Skipping the others changes nothing, because they would be skipped as {@code a == b}.
     */
    static int mainPass(EdgeGraph g, double[] costs, int[] order, DisjointSet ds) {
        final int[] offA = g.offsetsA();
        final int[] offB = g.offsetsB();
        final int[] size = ds.size;
        final float[] thr = ds.thr;
        final double k = ds.k;
        int kept = 0;
        for (int i = 0, m = order.length; i < m; i++) {
            int pl = order[i];
            int blk = pl >>> EdgeGraph.BLOCK_SHIFT;
            int p = pl & EdgeGraph.BASE_MASK;
            int ra = ds.find(p + offA[blk]);
            int rb = ds.find(p + offB[blk]);
            if (ra == rb) {
                continue;
            }
            double c = costs[i];
            if (c < (double) Math.min(thr[ra], thr[rb])) {
                int nr = ds.union(ra, rb);
                thr[nr] = (float) (c + k / (double) size[nr]);
            } else {
                order[kept++] = pl;
            }
        }
        return kept;
    }

    static void minSizePass(EdgeGraph g, int[] order, int count, DisjointSet ds, int minSize) {
        final int[] offA = g.offsetsA();
        final int[] offB = g.offsetsB();
        final int[] size = ds.size;
        for (int i = 0; i < count; i++) {
            int pl = order[i];
            int blk = pl >>> EdgeGraph.BLOCK_SHIFT;
            int p = pl & EdgeGraph.BASE_MASK;
            int ra = ds.find(p + offA[blk]);
            int rb = ds.find(p + offB[blk]);
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
