package org.detcon.segmentation.fh;

/**
 * Stable LSD radix sort of non-negative doubles (no NaN, no -0.0) carrying an int payload. For such values the raw
 * IEEE bit patterns, read as longs, order exactly like the values, so 6 passes of 11 bits sort them; passes whose
 * digit is the same for every key are skipped.
 */
public final class RadixSort {

    private static final int BITS = 11;
    private static final int BUCKETS = 1 << BITS;
    private static final int PASSES = (64 + BITS - 1) / BITS;

    private RadixSort() {
    }

    /** Extra heap bytes {@link #sort} allocates for n elements. */
    public static long scratchBytes(long n) {
        return 12L * n + (long) PASSES * BUCKETS * 4 + 64;
    }

    /**
     * Sorts {@code keys[0..n)} ascending, permuting {@code idx} alongside, stably. The result is written back into
     * the given arrays.
     */
    public static void sort(double[] keys, int[] idx) {
        int n = keys.length;
        if (idx.length != n) {
            throw new IllegalArgumentException("keys and idx differ in length");
        }
        if (n < 2) {
            return;
        }
        int[][] count = new int[PASSES][BUCKETS];
        for (int i = 0; i < n; i++) {
            long b = Double.doubleToRawLongBits(keys[i]);
            for (int p = 0; p < PASSES; p++) {
                count[p][(int) (b >>> (p * BITS)) & (BUCKETS - 1)]++;
            }
        }
        double[] srcK = keys;
        int[] srcI = idx;
        double[] dstK = null;
        int[] dstI = null;
        for (int p = 0; p < PASSES; p++) {
            int[] c = count[p];
            int shift = p * BITS;
            int first = (int) (Double.doubleToRawLongBits(srcK[0]) >>> shift) & (BUCKETS - 1);
            if (c[first] == n) {
                continue; // every key has this digit: the pass would be the identity
            }
            if (dstK == null) {
                dstK = new double[n];
                dstI = new int[n];
            }
            int sum = 0;
            for (int d = 0; d < BUCKETS; d++) {
                int t = c[d];
                c[d] = sum;
                sum += t;
            }
            for (int i = 0; i < n; i++) {
                double k = srcK[i];
                int d = (int) (Double.doubleToRawLongBits(k) >>> shift) & (BUCKETS - 1);
                int pos = c[d]++;
                dstK[pos] = k;
                dstI[pos] = srcI[i];
            }
            double[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] ti = srcI;
            srcI = dstI;
            dstI = ti;
        }
        if (srcK != keys) {
            System.arraycopy(srcK, 0, keys, 0, n);
            System.arraycopy(srcI, 0, idx, 0, n);
        }
    }

    /**
     * True when sorted {@code keys} contain two equal adjacent values other than 0.0, i.e. when the ascending order
     * of the non-zero keys is not unique.
     */
    public static boolean hasNonZeroTies(double[] sortedKeys) {
        for (int i = 1; i < sortedKeys.length; i++) {
            double k = sortedKeys[i];
            if (k == sortedKeys[i - 1] && k != 0.0) {
                return true;
            }
        }
        return false;
    }
}
