package org.detcon.segmentation.fh;

/**
 * Fast stable edge sort on packed longs: {@code (bits(cost) >>> 25) << 26 | slot}, i.e. the cost truncated to
 * 38 bits (sign, exponent and 27 mantissa bits of a non-negative double, which order like the value) above the
 * 26-bit edge slot ({@link EdgeGraph#costsBySlot}, increasing with the edge index). Three LSD radix passes over
 * the key bits (the slots start in ascending order, so equal truncated keys stay in edge order); then each run of
 * equal truncated keys is put in order by the full cost with a stable insertion sort. The result is the stable
 * (cost, edge index) order.
 *
 * <p>The merge passes can decide {@code cost < (double) thr} from the truncated cost alone: thr is a float (24-bit
 * significand), so whenever it lies in the binade of the cost it is a multiple of the 27-bit grid there, and
 * {@code c' <= c < c' + ulp27} then gives {@code c < thr <=> c' < thr}. The full cost is only read (by slot) when
 * an edge merges, to update the threshold.
 */
final class PackedEdgeSort {

    static final int SLOT_BITS = 26;
    static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    static final int DROP_BITS = 25;

    private static final int DIGIT = 13;
    private static final int BUCKETS = 1 << DIGIT;
    private static final int[] SHIFTS = {SLOT_BITS, SLOT_BITS + DIGIT, SLOT_BITS + 2 * DIGIT};
    /** Longer runs of equal truncated keys are not insertion-sorted (the caller falls back). */
    static final int MAX_RUN = 256;

    enum Outcome {
        /** Sorted, and no two non-zero costs are equal: this is also numpy's order. */
        UNIQUE,
        /** Sorted stably, but equal non-zero costs exist (numpy's introsort may order them differently). */
        TIES,
        /** Not sorted (a run of equal truncated keys too long to fix cheaply, or a tiny non-zero cost). */
        GAVE_UP
    }

    private PackedEdgeSort() {
    }

    /** Whether the image is small enough for 26-bit slots (4·W·H ≤ 2^26). */
    static boolean supports(int width, int height) {
        return 4L * width * height <= (1L << SLOT_BITS);
    }

    /** Heap bytes of the packed array and its radix scratch for E edges. */
    static long workBytes(long edges) {
        return 16L * edges + 3L * BUCKETS * 4 + 64;
    }

    /** Packed keys of all edges in edge-index order. */
    static long[] pack(EdgeGraph g, double[] costsBySlot) {
        int w = g.width;
        int h = g.height;
        int n = w * h;
        long[] out = new long[g.edgeCount];
        int e = 0;
        for (int blk = 0; blk < 4; blk++) {
            int rows = blk == 0 ? h : h - 1;
            int cols = blk == 1 ? w : w - 1;
            for (int y = 0; y < rows; y++) {
                int s = blk * n + y * w;
                for (int x = 0; x < cols; x++, s++) {
                    out[e++] = (Double.doubleToRawLongBits(costsBySlot[s]) >>> DROP_BITS) << SLOT_BITS | s;
                }
            }
        }
        return out;
    }

    /** Truncated cost of a packed entry. */
    static double truncatedCost(long packed) {
        return Double.longBitsToDouble((packed >>> SLOT_BITS) << DROP_BITS);
    }

    /** Sorts {@code a} (from {@link #pack}) in place; see {@link Outcome}. */
    static Outcome sort(long[] a, double[] costsBySlot) {
        if (a.length >= 2) {
            radix(a);
        }
        return fixRuns(a, costsBySlot);
    }

    private static void radix(long[] a) {
        int n = a.length;
        int[][] count = new int[SHIFTS.length][BUCKETS];
        for (int i = 0; i < n; i++) {
            long v = a[i];
            count[0][(int) (v >>> SHIFTS[0]) & (BUCKETS - 1)]++;
            count[1][(int) (v >>> SHIFTS[1]) & (BUCKETS - 1)]++;
            count[2][(int) (v >>> SHIFTS[2]) & (BUCKETS - 1)]++;
        }
        long[] src = a;
        long[] dst = null;
        for (int p = 0; p < SHIFTS.length; p++) {
            int[] c = count[p];
            int shift = SHIFTS[p];
            if (c[(int) (src[0] >>> shift) & (BUCKETS - 1)] == n) {
                continue;
            }
            if (dst == null) {
                dst = new long[n];
            }
            int sum = 0;
            for (int d = 0; d < BUCKETS; d++) {
                int t = c[d];
                c[d] = sum;
                sum += t;
            }
            for (int i = 0; i < n; i++) {
                long v = src[i];
                dst[c[(int) (v >>> shift) & (BUCKETS - 1)]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }

    /** Orders runs of equal truncated keys by full cost (stable) and looks for equal non-zero costs. */
    private static Outcome fixRuns(long[] a, double[] costs) {
        int n = a.length;
        boolean ties = false;
        int i = 0;
        while (i < n) {
            long key = a[i] >>> SLOT_BITS;
            int j = i + 1;
            while (j < n && (a[j] >>> SLOT_BITS) == key) {
                j++;
            }
            if (key == 0) {
                // zero (or sub-2^-1049) costs: all must be exactly zero, their order is irrelevant
                for (int q = i; q < j; q++) {
                    if (costs[(int) (a[q] & SLOT_MASK)] != 0.0) {
                        return Outcome.GAVE_UP;
                    }
                }
            } else if (j - i > 1) {
                if (j - i > MAX_RUN) {
                    return Outcome.GAVE_UP;
                }
                for (int q = i + 1; q < j; q++) {
                    long v = a[q];
                    double cv = costs[(int) (v & SLOT_MASK)];
                    int r = q;
                    while (r > i && cv < costs[(int) (a[r - 1] & SLOT_MASK)]) {
                        a[r] = a[r - 1];
                        r--;
                    }
                    a[r] = v;
                }
                for (int q = i + 1; q < j && !ties; q++) {
                    ties = costs[(int) (a[q] & SLOT_MASK)] == costs[(int) (a[q - 1] & SLOT_MASK)];
                }
            }
            i = j;
        }
        return ties ? Outcome.TIES : Outcome.UNIQUE;
    }
}
