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

    /**
     * Both passes over the packed sorted form ({@link PackedEdgeSort}). {@code packed} is overwritten.
     *
     * <p>With {@code checkTies} (EXACT mode when equal non-zero costs exist) every group of edges sharing a
     * truncated key (a superset of each group of equal costs) is checked when reached, against the current
     * components ({@link TieGroupCheck#independentMain}, {@link TieGroupCheck#independentMinSize}): if every order of the
     * group provably gives the same state, numpy's order does too, and the stable order is used. If some group is
     * not provably order-independent the passes stop and {@code null} is returned: the caller then needs numpy's
     * order.
     */
    static DisjointSet runPacked(EdgeGraph g, long[] packed, double[] costsBySlot, double k, int minSize,
            boolean checkTies) {
        int n = g.width * g.height;
        DisjointSet ds = new DisjointSet(n, k);
        int[] offA = slotOffsets(g, g.offsetsA());
        int[] offB = slotOffsets(g, g.offsetsB());
        TieGroupCheck tc = checkTies ? new TieGroupCheck(n, offA, offB) : null;
        int rejected = mainPassPacked(n, offA, offB, packed, costsBySlot, ds, tc);
        if (rejected < 0) {
            return null;
        }
        if (minSize > 1 && !minSizePassPacked(n, offA, offB, packed, rejected, ds, minSize, tc)) {
            return null;
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

    /** Block (0..3) of a slot {@code blk*N + p}. */
    static int blockOfSlot(int s, int n) {
        return (s >= n ? 1 : 0) + (s >= 2 * n ? 1 : 0) + (s >= 3 * n ? 1 : 0);
    }

    /** Main pass; returns the number of rejected edges (compacted to the front), or -1 if a tie check failed. */
    static int mainPassPacked(int n, int[] offA, int[] offB, long[] packed, double[] costsBySlot,
            DisjointSet ds, TieGroupCheck tc) {
        final double k = ds.k;
        int kept = 0;
        int checkedUntil = 0;
        for (int i = 0, m = packed.length; i < m; i++) {
            long v = packed[i];
            if (tc != null && i >= checkedUntil) {
                int j = TieGroupCheck.groupEnd(packed, i, m);
                // key 0 = exactly zero costs here (PackedEdgeSort reports TINY_NONZERO otherwise): always merge
                if (j - i > 1 && (v >>> PackedEdgeSort.SLOT_BITS) != 0
                        && !tc.independentMain(packed, i, j, ds, costsBySlot)) {
                    return -1;
                }
                checkedUntil = j;
            }
            int s = (int) (v & PackedEdgeSort.SLOT_MASK);
            int blk = blockOfSlot(s, n);
            int ra = ds.find(s + offA[blk]);
            int rb = ds.find(s + offB[blk]);
            if (ra == rb) {
                continue;
            }
            // exact: the truncated cost decides "cost < float threshold" like the full cost (PackedEdgeSort)
            double ct = PackedEdgeSort.truncatedCost(v);
            if (ct < (double) Math.min(ds.thr(ra), ds.thr(rb))) {
                int nr = ds.union(ra, rb);
                double kd = k / (double) ds.size(nr);
                // the full cost c lies in [ct, ct + ulp27), so (float)(c + kd) lies between these two; when they
                // agree it is known without reading c (a cache miss) from the slot array
                float lo = (float) (ct + kd);
                float hi = (float) (PackedEdgeSort.truncatedCostUpper(v) + kd);
                ds.setThr(nr, lo == hi ? lo : (float) (costsBySlot[s] + kd));
            } else {
                packed[kept++] = v;
            }
        }
        return kept;
    }

    /** min_size pass over the main pass's rejects; false if a tie check failed. */
    static boolean minSizePassPacked(int n, int[] offA, int[] offB, long[] packed, int count, DisjointSet ds,
            int minSize, TieGroupCheck tc) {
        int checkedUntil = 0;
        for (int i = 0; i < count; i++) {
            if (tc != null && i >= checkedUntil) {
                int j = TieGroupCheck.groupEnd(packed, i, count);
                if (j - i > 1 && !tc.independentMinSize(packed, i, j, ds, minSize)) {
                    return false;
                }
                checkedUntil = j;
            }
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
        return true;
    }

    /** Dense labels numbered by first appearance in raster order. */
    static int[] labels(DisjointSet ds) {
        return ds.labels();
    }
}
