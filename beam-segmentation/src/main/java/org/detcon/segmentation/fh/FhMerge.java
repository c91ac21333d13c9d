package org.detcon.segmentation.fh;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The two Kruskal-style passes of skimage's FH (spec §5–6) for one scale, fed with {@link EdgeKey edge keys} in
 * sorted order, bucket after bucket.
 *
 * <p><b>Equal costs.</b> numpy's introsort may order equal costs differently from the stable order used here.
 * Main pass: a group of equal costs c is order-independent whenever {@code (float)(c + k/N) > c}: a component
 * whose threshold is at most c cannot merge at cost c and so keeps that threshold, a merge of two components
 * with thresholds above c makes one whose threshold {@code (float)(c + k/size)} is again above c, so whatever the
 * order the group merges exactly the components with thresholds above c that its edges connect, every merged
 * component ends with cint = c and the threshold of its final size, and the rejected edges are the same. When
 * that condition fails (tiny k) the run stops and is redone in numpy's exact order ({@link #needsNumpyOrder}).
 * min_size pass: a group of equal costs among the main pass's rejects is order-independent when its edges join
 * pairwise disjoint component pairs or touch no component below min_size ({@link TieGroupCheck}); otherwise
 * numpy's order of that group is looked up ({@link LazyIntroSort}) and used.
 */
final class FhMerge {

    /**
     * Edges whose endpoints' parents are read together, ahead of deciding them ({@link #dropInternal} out of cache,
     * {@link #mainPass}): their cache misses then overlap. FH call against one edge at a time ({@code FhBench ab},
     * photos, two rounds, B/A): 0.1 MP 0.97 / 0.98, 0.3 MP 0.96 / 0.94, 1 MP 0.85 / 0.96, 2 MP 0.87 / 0.90, 3 MP
     * 0.88 / 0.83, 5 MP 1.02 / 0.95. 16, 32 and 64 alike at 3 MP; 32 kept.
     */
    static final int STAGE = 32;

    final FhParams params;
    final double k;
    final int minSize;
    final DisjointSet ds;
    private final double kOverN;
    /** The slots' endpoints ({@link EdgeCosts#endpointA}; in the hot loops from these offsets). */
    private final EdgeCosts edges;
    private final int[] offA;
    private final int[] offB;
    /** Staged ancestors of a batch's endpoints a and b (see {@link #STAGE}). */
    private final int[] stageA = new int[STAGE];
    private final int[] stageB = new int[STAGE];
    private final int n;
    /** Rejected edges in order, with their exact cost where it is known (NaN otherwise). */
    private long[] rejKeys = new long[1024];
    private double[] rejExact = new double[1024];
    private int rejected;
    private double previous = Double.NaN;
    private boolean inGroup;
    /** Edges the main pass found internal (both ends in one component) and skipped. */
    int internalSeen;
    /** A main-pass group of equal costs was not provably order-independent: redo in numpy's order. */
    boolean needsNumpyOrder;
    /** Groups of equal costs shown order-independent (main and min_size pass). */
    int tieGroupsProved;
    /** min_size groups that needed numpy's order. */
    int numpyOrderLookups;

    FhMerge(FhParams params, EdgeCosts layout) {
        this.params = params;
        this.k = params.k();
        this.minSize = params.minSize();
        this.n = layout.n;
        this.ds = new DisjointSet(n, k);
        this.kOverN = k / (double) n;
        this.edges = layout;
        this.offA = layout.slotOffA;
        this.offB = layout.slotOffB;
    }

    /** Whether a main-pass group of edges of equal cost c is order-independent (see the class comment). */
    boolean tieSafe(double c) {
        return (double) (float) (c + kOverN) > c;
    }

    /** Whether the edge in a slot joins two pixels already in one component. */
    boolean internal(int slot) {
        return ds.find(edges.endpointA(slot)) == ds.find(edges.endpointB(slot));
    }

    /**
     * Drops from a[from, to) the edges that are {@link #internal} (they would be skipped whatever their order);
     * returns the new end. Branch-free keep/drop: the outcome is unpredictable, and a mispredicted branch per edge
     * would also stop the next edges' union-find loads from overlapping with this one's. With the union-find out of
     * the caches ({@link DisjointSet#branchFree} off) the edges go in stages of {@link #STAGE}: first every edge's
     * endpoints' parents (independent loads, whose cache misses overlap), then each edge decided from them, the full
     * find only where a path is longer than one step.
     */
    int dropInternal(long[] a, int from, int to) {
        final DisjointSet d = ds;
        final int px = n;
        final int[] oa = offA;
        final int[] ob = offB;
        int keep = from;
        if (d.branchFree) {
            for (int i = from; i < to; i++) {
                long v = a[i];
                int s = EdgeKey.slot(v);
                int blk = EdgeCosts.blockOf(s, px);
                a[keep] = v;
                keep += d.find(s + oa[blk]) != d.find(s + ob[blk]) ? 1 : 0;
            }
            return keep;
        }
        final int[] sa = stageA;
        final int[] sb = stageB;
        for (int i = from; i < to; i += STAGE) {
            int m = Math.min(STAGE, to - i);
            stage(a, i, m);
            for (int j = 0; j < m; j++) {
                long v = a[i + j]; // keep <= i + j: read before anything is written there
                int ra = sa[j];
                int rb = sb[j];
                if (!d.isRoot(ra) || !d.isRoot(rb)) {
                    int s = EdgeKey.slot(v);
                    int blk = EdgeCosts.blockOf(s, px);
                    ra = d.find(s + oa[blk]);
                    rb = d.find(s + ob[blk]);
                }
                a[keep] = v;
                keep += ra != rb ? 1 : 0;
            }
        }
        return keep;
    }

    /** The parents ({@link DisjointSet#parentOrSelf}) of the endpoints of a[i, i+m) into stageA/stageB. */
    private void stage(long[] a, int i, int m) {
        for (int j = 0; j < m; j++) {
            int s = EdgeKey.slot(a[i + j]);
            int blk = EdgeCosts.blockOf(s, n);
            stageA[j] = ds.parentOrSelf(s + offA[blk]);
            stageB[j] = ds.parentOrSelf(s + offB[blk]);
        }
    }

    /**
     * Main pass over {@code a[from, to)} in sorted order, continuing the previous calls; {@code exact[i - from]}
     * is the exact cost of entry i or NaN (then {@code exactCosts} computes it when it is needed). With
     * {@code checkTies} it stops, setting {@link #needsNumpyOrder}, at a group of equal costs whose order may
     * matter. The endpoints' parents are read {@link #STAGE} edges at a time; an edge uses them only when both are
     * still roots (an earlier merge of the stage, or a longer path, takes the full finds).
     */
    void mainPass(long[] a, int from, int to, double[] exact, PointCosts exactCosts, boolean checkTies) {
        if (needsNumpyOrder) {
            return;
        }
        final DisjointSet d = ds;
        final int px = n;
        final int[] oa = offA;
        final int[] ob = offB;
        final int[] sa = stageA;
        final int[] sb = stageB;
        final double kk = k;
        double prev = previous;
        int staged = from - STAGE; // the edges [staged, staged + STAGE) have their parents in stageA/stageB
        for (int i = from; i < to; i++) {
            if (i - staged == STAGE) {
                staged = i;
                stage(a, i, Math.min(STAGE, to - i));
            }
            long v = a[i];
            double c = exact[i - from];
            if (c == prev) { // NaN (unknown) is never equal: equal costs always have their exact costs known
                if (checkTies && !inGroup) {
                    if (!tieSafe(c)) {
                        needsNumpyOrder = true;
                        return;
                    }
                    tieGroupsProved++;
                }
                inGroup = true;
            } else {
                inGroup = false;
                prev = c;
            }
            int s = EdgeKey.slot(v);
            // a staged parent that is (still) a root is the root; else an earlier merge or a longer path: find
            int ra = sa[i - staged];
            int rb = sb[i - staged];
            if (!d.isRoot(ra) || !d.isRoot(rb)) {
                int blk = EdgeCosts.blockOf(s, px);
                ra = d.find(s + oa[blk]);
                rb = d.find(s + ob[blk]);
            }
            if (ra == rb) {
                internalSeen++;
                continue;
            }
            float t = Math.min(d.thr(ra), d.thr(rb));
            boolean merge = c == c ? c < (double) t : EdgeKey.truncatedCost(v) < (double) t;
            if (merge) {
                int nr = d.union(ra, rb);
                double kd = kk / (double) d.size(nr);
                float thr;
                if (c == c) {
                    thr = (float) (c + kd);
                } else {
                    // the exact cost lies in [c', c' + ulp27): when both ends round alike it is not needed
                    float lo = (float) (EdgeKey.truncatedCost(v) + kd);
                    float hi = (float) (EdgeKey.truncatedCostUpper(v) + kd);
                    thr = lo == hi ? lo : (float) (exactCosts.cost(s) + kd);
                }
                d.setThr(nr, thr);
            } else {
                reject(v, c);
            }
        }
        previous = prev;
    }

    private void reject(long key, double exact) {
        if (rejected == rejKeys.length) {
            rejKeys = Arrays.copyOf(rejKeys, rejected * 2);
            rejExact = Arrays.copyOf(rejExact, rejected * 2);
        }
        rejKeys[rejected] = key;
        rejExact[rejected] = exact;
        rejected++;
    }

    /**
     * The min_size pass over the main pass's rejects (every other edge is internal by now and would be skipped).
     * With a non-null {@code numpyOrder}, each group of equal costs is checked and, when its order may matter,
     * processed in numpy's order. Equal costs always share a truncated cost, so their exact costs are known.
     */
    void minSizePass(Supplier<LazyIntroSort> numpyOrder) {
        if (minSize <= 1) {
            return;
        }
        final DisjointSet d = ds;
        TieGroupCheck tc = numpyOrder == null ? null : new TieGroupCheck(edges);
        int checkedUntil = 0;
        for (int i = 0, m = rejected; i < m; i++) {
            if (tc != null && i >= checkedUntil) {
                double c = rejExact[i];
                int j = i + 1;
                while (j < m && rejExact[j] == c) {
                    j++;
                }
                if (j - i > 1) {
                    if (tc.independentMinSize(rejKeys, i, j, d, minSize)) {
                        tieGroupsProved++;
                    } else {
                        inNumpyOrder(i, j, numpyOrder.get());
                        numpyOrderLookups++;
                    }
                }
                checkedUntil = j;
            }
            int s = EdgeKey.slot(rejKeys[i]);
            int ra = d.find(edges.endpointA(s));
            int rb = d.find(edges.endpointB(s));
            if (ra == rb) {
                continue;
            }
            if (d.size(ra) < minSize || d.size(rb) < minSize) {
                d.union(ra, rb);
            }
        }
    }

    /** Reorders the rejects [i, j) (equal costs) as numpy's argsort orders them. */
    private void inNumpyOrder(int i, int j, LazyIntroSort numpy) {
        int[] order = numpy.indicesWithKey(rejExact[i]);
        Map<Integer, Integer> rank = new HashMap<>(order.length * 2);
        for (int q = 0; q < order.length; q++) {
            rank.put(order[q], q);
        }
        // (rank, position) as one long: sorted, the rank order, equal ranks (if any) in their order as the stable sort had
        long[] byRank = new long[j - i];
        for (int q = i; q < j; q++) {
            byRank[q - i] = (long) rank.get(EdgeKey.slot(rejKeys[q])) << 32 | (q - i);
        }
        Arrays.sort(byRank);
        long[] group = Arrays.copyOfRange(rejKeys, i, j);
        for (int q = i; q < j; q++) {
            rejKeys[q] = group[(int) byRank[q - i]];
        }
    }

    /**
     * Both passes over all edges in numpy's order ({@code costs[i]} the exact cost of {@code slots[i]}), without
     * any tie reasoning: the reference path.
     */
    void runInOrder(double[] costs, int[] slots) {
        final DisjointSet d = ds;
        int[] rej = new int[1024];
        int nRej = 0;
        for (int i = 0; i < costs.length; i++) {
            int s = slots[i];
            int ra = d.find(edges.endpointA(s));
            int rb = d.find(edges.endpointB(s));
            if (ra == rb) {
                continue;
            }
            double c = costs[i];
            if (c < (double) Math.min(d.thr(ra), d.thr(rb))) {
                int nr = d.union(ra, rb);
                d.setThr(nr, (float) (c + k / (double) d.size(nr)));
            } else {
                if (nRej == rej.length) {
                    rej = Arrays.copyOf(rej, 2 * nRej);
                }
                rej[nRej++] = s; // only these can still merge in the min_size pass
            }
        }
        for (int i = 0; i < nRej && minSize > 1; i++) {
            int s = rej[i];
            int ra = d.find(edges.endpointA(s));
            int rb = d.find(edges.endpointB(s));
            if (ra != rb && (d.size(ra) < minSize || d.size(rb) < minSize)) {
                d.union(ra, rb);
            }
        }
    }

    /** Dense labels numbered by first appearance in raster order. */
    int[] labels() {
        return ds.labels();
    }
}
