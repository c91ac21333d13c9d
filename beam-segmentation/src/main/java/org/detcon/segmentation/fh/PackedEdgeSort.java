package org.detcon.segmentation.fh;

/**
 * Fast stable edge sort on packed longs: {@code (bits(cost) >>> 25) << 26 | slot}, i.e. the cost truncated to
 * 38 bits (sign, exponent and 27 mantissa bits of a non-negative double, which order like the value) above the
 * 26-bit edge slot ({@link EdgeGraph#costsBySlot}, increasing with the edge index). Three LSD radix passes over
 * the key bits (the slots start in ascending order, so equal truncated keys stay in edge order); then each run of
 * equal truncated keys is put in (full cost, slot) order (insertion sort, or for long runs a sort on the low 25
 * cost bits packed above the slot). The result is the stable (cost, edge index) order.
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

    private static final int DIGIT = 13; // 3 passes over the 38 key bits; 8, 10 and 11 measured slower
    private static final int BUCKETS = 1 << DIGIT;
    private static final int[] SHIFTS = shifts();

    private static int[] shifts() {
        int passes = (64 - SLOT_BITS + DIGIT - 1) / DIGIT;
        int[] s = new int[passes];
        for (int p = 0; p < passes; p++) {
            s[p] = SLOT_BITS + p * DIGIT;
        }
        return s;
    }
    /** Runs of equal truncated keys up to this length are insertion-sorted; longer ones go through a long sort. */
    static final int INSERTION_RUN = 32;

    enum Outcome {
        /** Sorted, and no two non-zero costs are equal: this is also numpy's order. */
        UNIQUE,
        /** Sorted stably, but equal non-zero costs exist (numpy's introsort may order them differently). */
        TIES,
        /**
         * Sorted stably, but some non-zero cost is below 2^-1049 (truncates to 0), so the zero-cost argument does
         * not cover the first run. Never seen in practice; EXACT mode then uses the introsort.
         */
        TINY_NONZERO
    }

    private PackedEdgeSort() {
    }

    /** Whether the image is small enough for 26-bit slots (4·W·H ≤ 2^26). */
    static boolean supports(int width, int height) {
        return 4L * width * height <= (1L << SLOT_BITS);
    }

    /** Heap bytes of the packed array and its radix scratch for E edges. */
    static long workBytes(long edges) {
        return 16L * edges + (long) SHIFTS.length * BUCKETS * 4 + 64;
    }

    /** Packed keys of all edges in edge-index order. */
    static long[] pack(EdgeGraph g, double[] costsBySlot) {
        return pack(g, costsBySlot, null);
    }

    /** As {@link #pack(EdgeGraph, double[])}, also counting the radix digits into {@code count} when not null. */
    private static long[] pack(EdgeGraph g, double[] costsBySlot, int[][] count) {
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
                if (count == null) {
                    for (int x = 0; x < cols; x++, s++) {
                        out[e++] = (Double.doubleToRawLongBits(costsBySlot[s]) >>> DROP_BITS) << SLOT_BITS | s;
                    }
                } else {
                    for (int x = 0; x < cols; x++, s++) {
                        long v = (Double.doubleToRawLongBits(costsBySlot[s]) >>> DROP_BITS) << SLOT_BITS | s;
                        out[e++] = v;
                        for (int p = 0; p < SHIFTS.length; p++) {
                            count[p][(int) (v >>> SHIFTS[p]) & (BUCKETS - 1)]++;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Truncated cost of a packed entry. */
    static double truncatedCost(long packed) {
        return Double.longBitsToDouble((packed >>> SLOT_BITS) << DROP_BITS);
    }

    /**
     * Exclusive upper bound of the full costs with this truncated key: the next value on the 27-bit grid
     * ({@code truncatedCost + ulp}, exact; a carry into the exponent gives the next binade's first value).
     */
    static double truncatedCostUpper(long packed) {
        return Double.longBitsToDouble(((packed >>> SLOT_BITS) + 1) << DROP_BITS);
    }

    /** Sorts {@code a} (from {@link #pack}) in place; see {@link Outcome}. */
    static Outcome sort(long[] a, double[] costsBySlot) {
        if (a.length >= 2) {
            radix(a, histogram(a));
        }
        return fixRuns(a, costsBySlot);
    }

    /** Packs and sorts in one go (the digit histograms are counted while packing). */
    static long[] packAndSort(EdgeGraph g, double[] costsBySlot, Outcome[] outcome) {
        int[][] count = new int[SHIFTS.length][BUCKETS];
        long[] a = pack(g, costsBySlot, count);
        if (a.length >= 2) {
            radix(a, count);
        }
        outcome[0] = fixRuns(a, costsBySlot);
        return a;
    }

    private static int[][] histogram(long[] a) {
        int[][] count = new int[SHIFTS.length][BUCKETS];
        for (long v : a) {
            for (int p = 0; p < SHIFTS.length; p++) {
                count[p][(int) (v >>> SHIFTS[p]) & (BUCKETS - 1)]++;
            }
        }
        return count;
    }

    private static void radix(long[] a, int[][] count) {
        int n = a.length;
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
        boolean tiny = false;
        long[] tmp = null;
        int i = 0;
        while (i < n) {
            long key = a[i] >>> SLOT_BITS;
            int j = i + 1;
            while (j < n && (a[j] >>> SLOT_BITS) == key) {
                j++;
            }
            if (j - i > 1) {
                double c0 = costs[(int) (a[i] & SLOT_MASK)];
                boolean allEqual = true;
                for (int q = i + 1; q < j && allEqual; q++) {
                    allEqual = costs[(int) (a[q] & SLOT_MASK)] == c0;
                }
                tiny |= key == 0 && !(allEqual && c0 == 0.0);
                if (allEqual) {
                    ties |= c0 != 0.0; // already in slot order, i.e. stable
                } else {
                    if (j - i <= INSERTION_RUN) {
                        insertionSortByCost(a, i, j, costs);
                    } else {
                        if (tmp == null || tmp.length < j - i) {
                            tmp = new long[Math.max(j - i, 1024)];
                        }
                        sortRunByLowBits(a, i, j, costs, key, tmp);
                    }
                    for (int q = i + 1; q < j && !ties; q++) {
                        double c = costs[(int) (a[q] & SLOT_MASK)];
                        ties = c != 0.0 && c == costs[(int) (a[q - 1] & SLOT_MASK)];
                    }
                }
            }
            i = j;
        }
        if (n == 1 && (a[0] >>> SLOT_BITS) == 0 && costs[(int) (a[0] & SLOT_MASK)] != 0.0) {
            tiny = true;
        }
        return tiny ? Outcome.TINY_NONZERO : ties ? Outcome.TIES : Outcome.UNIQUE;
    }

    private static void insertionSortByCost(long[] a, int from, int to, double[] costs) {
        for (int q = from + 1; q < to; q++) {
            long v = a[q];
            double cv = costs[(int) (v & SLOT_MASK)];
            int r = q;
            while (r > from && cv < costs[(int) (a[r - 1] & SLOT_MASK)]) {
                a[r] = a[r - 1];
                r--;
            }
            a[r] = v;
        }
    }

    /**
     * A long run: its costs share the 38 high bits, so (low 25 cost bits, slot) packed in a long sorts it by
     * (cost, slot); then the original packed entries are rebuilt.
     */
    private static void sortRunByLowBits(long[] a, int from, int to, double[] costs, long key, long[] tmp) {
        int len = to - from;
        long lowMask = (1L << DROP_BITS) - 1;
        for (int q = 0; q < len; q++) {
            int slot = (int) (a[from + q] & SLOT_MASK);
            tmp[q] = (Double.doubleToRawLongBits(costs[slot]) & lowMask) << SLOT_BITS | slot;
        }
        java.util.Arrays.sort(tmp, 0, len);
        long high = key << SLOT_BITS;
        for (int q = 0; q < len; q++) {
            a[from + q] = high | (tmp[q] & SLOT_MASK);
        }
    }
}
