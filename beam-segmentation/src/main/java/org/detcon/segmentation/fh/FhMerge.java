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
            if (c < (double) Math.min(ds.thr(ra), ds.thr(rb))) {
                int nr = ds.union(ra, rb);
                ds.setThr(nr, (float) (c + k / (double) ds.size(nr)));
            } else {
                order[kept++] = pl;
            }
        }
        return kept;
    }

    static void minSizePass(EdgeGraph g, int[] order, int count, DisjointSet ds, int minSize) {
        final int[] offA = g.offsetsA();
        final int[] offB = g.offsetsB();
        for (int i = 0; i < count; i++) {
            int pl = order[i];
            int blk = pl >>> EdgeGraph.BLOCK_SHIFT;
            int p = pl & EdgeGraph.BASE_MASK;
            int ra = ds.find(p + offA[blk]);
            int rb = ds.find(p + offB[blk]);
            if (ra == rb) {
                continue;
            }
            if (ds.size(ra) < minSize || ds.size(rb) < minSize) {
                ds.union(ra, rb);
            }
        }
    }

    /** Both passes over the packed sorted form ({@link PackedEdgeSort}). {@code packed} is overwritten. */
    static DisjointSet runPacked(EdgeGraph g, long[] packed, double[] costsBySlot, double k, int minSize) {
        int n = g.width * g.height;
        DisjointSet ds = new DisjointSet(n, k);
        int[] offA = slotOffsets(g, g.offsetsA());
        int[] offB = slotOffsets(g, g.offsetsB());
        int rejected = mainPassPacked(n, offA, offB, packed, costsBySlot, ds);
        if (minSize > 1) {
            minSizePassPacked(n, offA, offB, packed, rejected, ds, minSize);
        }
        return ds;
    }

    /** Per block, endpoint offset from the slot ({@code blk*N + p}): pixel offset minus blk*N. */
    private static int[] slotOffsets(EdgeGraph g, int[] pixelOffsets) {
        int n = g.width * g.height;
        int[] out = new int[4];
        for (int blk = 0; blk < 4; blk++) {
            out[blk] = pixelOffsets[blk] - blk * n;
        }
        return out;
    }

    private static int blockOfSlot(int s, int n) {
        return (s >= n ? 1 : 0) + (s >= 2 * n ? 1 : 0) + (s >= 3 * n ? 1 : 0);
    }

    static int mainPassPacked(int n, int[] offA, int[] offB, long[] packed, double[] costsBySlot,
            DisjointSet ds) {
        final double k = ds.k;
        int kept = 0;
        for (int i = 0, m = packed.length; i < m; i++) {
            long v = packed[i];
            int s = (int) (v & PackedEdgeSort.SLOT_MASK);
            int blk = blockOfSlot(s, n);
            int ra = ds.find(s + offA[blk]);
            int rb = ds.find(s + offB[blk]);
            if (ra == rb) {
                continue;
            }
            // exact: the truncated cost decides "cost < float threshold" like the full cost (PackedEdgeSort)
            if (PackedEdgeSort.truncatedCost(v) < (double) Math.min(ds.thr(ra), ds.thr(rb))) {
                int nr = ds.union(ra, rb);
                ds.setThr(nr, (float) (costsBySlot[s] + k / (double) ds.size(nr)));
            } else {
                packed[kept++] = v;
            }
        }
        return kept;
    }

    static void minSizePassPacked(int n, int[] offA, int[] offB, long[] packed, int count, DisjointSet ds,
            int minSize) {
        for (int i = 0; i < count; i++) {
            int s = (int) (packed[i] & PackedEdgeSort.SLOT_MASK);
            int blk = blockOfSlot(s, n);
            int ra = ds.find(s + offA[blk]);
            int rb = ds.find(s + offB[blk]);
            if (ra == rb) {
                continue;
            }
            if (ds.size(ra) < minSize || ds.size(rb) < minSize) {
                ds.union(ra, rb);
            }
        }
    }

    /** Dense labels numbered by first appearance in raster order. */
    static int[] labels(DisjointSet ds) {
        return ds.labels();
    }
}
