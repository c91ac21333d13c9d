package org.detcon.segmentation.fh;

import java.util.Arrays;

/**
 * The second level of the edge sort, inside one {@link CostBuckets bucket}: puts {@link EdgeKey edge keys} that
 * arrive in slot order into the stable (exact cost, edge index) order. Two LSD radix passes on the top 16 bits of
 * the bucket's span of truncated costs, then runs sharing those bits sorted as longs (truncated cost, then slot),
 * then runs of equal truncated costs put in exact-cost order with their exact costs computed ({@link PointCosts}).
 * Those exact costs are kept in {@link #exact} (NaN where the truncated cost is unique). One instance per call:
 * it keeps its scratch arrays between buckets.
 */
final class BucketSort {

    private static final int RUN_INSERTION = 32;
    /** Runs of equal truncated costs longer than this are merge-sorted by exact cost, shorter ones insertion-sorted. */
    static final int LONG_RUN = 256;

    /** The exact cost of the edge in a slot. */
    @FunctionalInterface
    interface ExactCost {
        double cost(int slot);
    }

    /** After {@link #sort}: exact cost of the entry at {@code from + i}, or NaN when its truncated cost is unique. */
    double[] exact = new double[0];
    /** After {@link #sort}: whether any run of equal truncated costs was found. */
    boolean anyRuns;

    private long[] tmp = new long[0];
    private double[] runCosts = new double[0];
    private long[] runKeys = new long[0];
    private double[] mergeCosts = new double[0];
    private long[] mergeKeys = new long[0];
    private final int[] count = new int[256];

    /** Sorts {@code a[from, to)} in place. */
    void sort(long[] a, int from, int to, ExactCost exactCosts) {
        int n = to - from;
        if (tmp.length < n) {
            tmp = new long[Math.max(n, 1024)];
            exact = new double[Math.max(n, 1024)];
        }
        anyRuns = false;
        if (n < 2) {
            if (n == 1) {
                exact[0] = Double.NaN;
            }
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            long k = EdgeKey.key(a[i]);
            min = Math.min(min, k);
            max = Math.max(max, k);
        }
        int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(max - min) - 16);
        long base = min << EdgeKey.SLOT_BITS;
        int s1 = EdgeKey.SLOT_BITS + shift;
        radixPass(a, from, tmp, 0, n, base, s1);
        radixPass(tmp, 0, a, from, n, base, s1 + 8);
        // runs sharing the top 16 bits: sort as longs (truncated cost, then slot: unique values)
        int i = from;
        while (i < to) {
            long top = (a[i] - base) >>> s1;
            int j = i + 1;
            while (j < to && (a[j] - base) >>> s1 == top) {
                j++;
            }
            if (j - i > 1) {
                if (j - i <= RUN_INSERTION) {
                    insertion(a, i, j);
                } else {
                    Arrays.sort(a, i, j);
                }
            }
            i = j;
        }
        // runs of equal truncated costs: exact costs, stable order by exact cost
        Arrays.fill(exact, 0, n, Double.NaN);
        i = from;
        while (i < to) {
            long key = EdgeKey.key(a[i]);
            int j = i + 1;
            while (j < to && EdgeKey.key(a[j]) == key) {
                j++;
            }
            if (j - i > 1) {
                anyRuns = true;
                exactOrder(a, i, j, from, exactCosts);
            }
            i = j;
        }
    }

    private void radixPass(long[] src, int so, long[] dst, int dO, int n, long base, int shift) {
        int[] c = count;
        Arrays.fill(c, 0);
        for (int i = so, e = so + n; i < e; i++) {
            c[(int) ((src[i] - base) >>> shift) & 0xFF]++;
        }
        int sum = dO;
        for (int d = 0; d < 256; d++) {
            int t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (int i = so, e = so + n; i < e; i++) {
            long v = src[i];
            dst[c[(int) ((v - base) >>> shift) & 0xFF]++] = v;
        }
    }

    private static void insertion(long[] a, int from, int to) {
        for (int q = from + 1; q < to; q++) {
            long v = a[q];
            int r = q;
            while (r > from && v < a[r - 1]) {
                a[r] = a[r - 1];
                r--;
            }
            a[r] = v;
        }
    }

    /** a[i, j) share a truncated cost and are in slot order: stable sort by exact cost, costs into exact[]. */
    private void exactOrder(long[] a, int i, int j, int from, ExactCost exactCosts) {
        int len = j - i;
        if (runCosts.length < len) {
            runCosts = new double[Math.max(len, 64)];
            runKeys = new long[Math.max(len, 64)];
        }
        for (int q = 0; q < len; q++) {
            runKeys[q] = a[i + q];
            runCosts[q] = exactCosts.cost(EdgeKey.slot(a[i + q]));
        }
        if (len > LONG_RUN) {
            // long runs (tie-heavy images): a stable merge sort by exact cost
            mergeSortRun(len);
            System.arraycopy(runKeys, 0, a, i, len);
            System.arraycopy(runCosts, 0, exact, i - from, len);
            return;
        }
        insertionSortRun(0, len);
        System.arraycopy(runKeys, 0, a, i, len);
        System.arraycopy(runCosts, 0, exact, i - from, len);
    }

    /**
     * Stable sort of runCosts[0, len) by {@link Double#compare} (runKeys moved alongside): insertion sort of blocks
     * of {@link #RUN_INSERTION}, then bottom-up merges. Primitive arrays throughout: a boxed sort with a comparator
     * (TimSort) here made C2 recompile TimSort many times per process (its array-store checks had seen other
     * arrays at start-up), about a second of compiler CPU per process from 2 MP up.
     */
    private void mergeSortRun(int len) {
        double[] c0 = runCosts;
        int sorted = 1;
        while (sorted < len && Double.compare(c0[sorted], c0[sorted - 1]) >= 0) {
            sorted++;
        }
        if (sorted == len) {
            return; // already in order (often: a run of one exact cost, such as flat areas' zeros)
        }
        if (mergeCosts.length < len) {
            mergeCosts = new double[runCosts.length];
            mergeKeys = new long[runCosts.length];
        }
        for (int lo = 0; lo < len; lo += RUN_INSERTION) {
            insertionSortRun(lo, Math.min(len, lo + RUN_INSERTION));
        }
        double[] c = runCosts;
        long[] k = runKeys;
        double[] dc = mergeCosts;
        long[] dk = mergeKeys;
        for (int width = RUN_INSERTION; width < len; width *= 2) {
            for (int lo = 0; lo < len; lo += 2 * width) {
                int mid = Math.min(len, lo + width);
                int hi = Math.min(len, lo + 2 * width);
                if (mid == hi || Double.compare(c[mid], c[mid - 1]) >= 0) {
                    // one half, or the halves already in order: copied as they are
                    System.arraycopy(c, lo, dc, lo, hi - lo);
                    System.arraycopy(k, lo, dk, lo, hi - lo);
                    continue;
                }
                int p = lo;
                int q = mid;
                int o = lo;
                while (p < mid && q < hi) {
                    // the right element goes first only when strictly smaller: equal costs keep their order
                    if (Double.compare(c[q], c[p]) < 0) {
                        dc[o] = c[q];
                        dk[o++] = k[q++];
                    } else {
                        dc[o] = c[p];
                        dk[o++] = k[p++];
                    }
                }
                System.arraycopy(c, p, dc, o, mid - p);
                System.arraycopy(k, p, dk, o, mid - p);
                o += mid - p;
                System.arraycopy(c, q, dc, o, hi - q);
                System.arraycopy(k, q, dk, o, hi - q);
            }
            double[] tc = c;
            c = dc;
            dc = tc;
            long[] tk = k;
            k = dk;
            dk = tk;
        }
        if (c != runCosts) {
            System.arraycopy(c, 0, runCosts, 0, len);
            System.arraycopy(k, 0, runKeys, 0, len);
        }
    }

    /**
     * Stable insertion sort of runCosts[lo, hi) by exact cost, runKeys moved alongside (slot order kept among equal
     * costs). Exact costs are Euclidean distances, never NaN or -0.0, so {@code <} orders them as
     * {@link Double#compare} does in the merges.
     */
    private void insertionSortRun(int lo, int hi) {
        double[] c = runCosts;
        long[] k = runKeys;
        for (int q = lo + 1; q < hi; q++) {
            double v = c[q];
            long key = k[q];
            int r = q;
            while (r > lo && v < c[r - 1]) {
                c[r] = c[r - 1];
                k[r] = k[r - 1];
                r--;
            }
            c[r] = v;
            k[r] = key;
        }
    }
}
