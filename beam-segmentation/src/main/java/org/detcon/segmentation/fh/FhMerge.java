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

    final FhParams params;
    final double k;
    final int minSize;
    final DisjointSet ds;
    private final double kOverN;
    private final int[] offA;
    private final int[] offB;
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
        this.offA = layout.slotOffA;
        this.offB = layout.slotOffB;
    }

    /** Whether a main-pass group of edges of equal cost c is order-independent (see the class comment). */
    boolean tieSafe(double c) {
        return (double) (float) (c + kOverN) > c;
    }

    /** Whether the edge in a slot joins two pixels already in one component. */
    boolean internal(int slot) {
        int blk = (slot >= n ? 1 : 0) + (slot >= 2 * n ? 1 : 0) + (slot >= 3 * n ? 1 : 0);
        int a = slot + offA[blk];
        int b = slot + offB[blk];
        return ds.find(a) == ds.find(b);
    }

    /**
     * Drops from a[from, to) the edges that are {@link #internal} (they would be skipped whatever their order);
     * returns the new end. Branch-free keep/drop: the outcome is unpredictable, and a mispredicted branch per edge
     * would also stop the next edges' union-find loads from overlapping with this one's.
     */
    int dropInternal(long[] a, int from, int to) {
        final DisjointSet d = ds;
        final int px = n;
        final int[] oa = offA;
        final int[] ob = offB;
        int keep = from;
        for (int i = from; i < to; i++) {
            long v = a[i];
            int s = EdgeKey.slot(v);
            int blk = (s >= px ? 1 : 0) + (s >= 2 * px ? 1 : 0) + (s >= 3 * px ? 1 : 0);
            a[keep] = v;
            keep += d.find(s + oa[blk]) != d.find(s + ob[blk]) ? 1 : 0;
        }
        return keep;
    }

    /**
     * Main pass over {@code a[from, to)} in sorted order, continuing the previous calls; {@code exact[i - from]}
     * is the exact cost of entry i or NaN (then {@code exactCosts} computes it when it is needed). With
     * {@code checkTies} it stops, setting {@link #needsNumpyOrder}, at a group of equal costs whose order may
     * matter.
     */
    void mainPass(long[] a, int from, int to, double[] exact, PointCosts exactCosts, boolean checkTies) {
        if (needsNumpyOrder) {
            return;
        }
        final DisjointSet d = ds;
        final int px = n;
        final double kk = k;
        double prev = previous;
        for (int i = from; i < to; i++) {
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
            int blk = (s >= px ? 1 : 0) + (s >= 2 * px ? 1 : 0) + (s >= 3 * px ? 1 : 0);
            int ra = d.find(s + offA[blk]);
            int rb = d.find(s + offB[blk]);
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
        final int px = n;
        TieGroupCheck tc = numpyOrder == null ? null : new TieGroupCheck(px, offA, offB);
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
            int blk = (s >= px ? 1 : 0) + (s >= 2 * px ? 1 : 0) + (s >= 3 * px ? 1 : 0);
            int ra = d.find(s + offA[blk]);
            int rb = d.find(s + offB[blk]);
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
            int blk = (s >= n ? 1 : 0) + (s >= 2 * n ? 1 : 0) + (s >= 3 * n ? 1 : 0);
            int ra = d.find(s + offA[blk]);
            int rb = d.find(s + offB[blk]);
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
            int blk = (s >= n ? 1 : 0) + (s >= 2 * n ? 1 : 0) + (s >= 3 * n ? 1 : 0);
            int ra = d.find(s + offA[blk]);
            int rb = d.find(s + offB[blk]);
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
