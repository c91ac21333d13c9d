package org.detcon.eval.coco.eval;

/**
 * The few numpy primitives whose exact floating-point behaviour the COCO evaluation depends on, reproduced bit for
 * bit: {@code np.linspace}, {@code np.sum}/{@code np.mean} (pairwise summation in 8192-element blocks) and a stable ({@code kind='mergesort'}) argsort of
 * float64 keys with numpy's NaN ordering.
 */
public final class NumpyCompat {

    /** {@code np.spacing(1)}: the distance from 1.0 to the next larger double. */
    public static final double SPACING_ONE = Math.ulp(1.0);

    private static final int PW_BLOCKSIZE = 128;

    /** numpy's default ufunc buffer size ({@code np.getbufsize()}). */
    static final int BUFSIZE = 8192;

    private NumpyCompat() {
    }

    /**
     * {@code np.linspace(start, stop, num, endpoint=True)} for scalar float64 arguments: {@code i * step + start}
     * with {@code step = (stop - start) / (num - 1)}, and the last element set to {@code stop} exactly.
     */
    public static double[] linspace(double start, double stop, int num) {
        if (num < 0) {
            throw new IllegalArgumentException("Number of samples, " + num + ", must be non-negative.");
        }
        double[] y = new double[num];
        int div = num - 1;
        double delta = stop - start;
        if (div > 0) {
            double step = delta / div;
            if (step == 0) {
                for (int i = 0; i < num; i++) {
                    y[i] = ((double) i / div) * delta + start;
                }
            } else {
                for (int i = 0; i < num; i++) {
                    y[i] = (double) i * step + start;
                }
            }
        } else {
            for (int i = 0; i < num; i++) {
                y[i] = (double) i * delta + start;
            }
        }
        if (num > 1) {
            y[num - 1] = stop;
        }
        return y;
    }

    /** {@code int(np.round(x))}: round half to even. */
    public static int roundHalfEven(double x) {
        return (int) Math.rint(x);
    }

    /**
     * {@code np.add.reduce} of a contiguous float64 vector: numpy's pairwise summation ({@code pairwise_sum_DOUBLE},
     * 8-way unrolled blocks of at most 128 elements).
     */
    public static double pairwiseSum(double[] a, int offset, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[offset + i];
            }
            return res;
        } else if (n <= PW_BLOCKSIZE) {
            double r0 = a[offset];
            double r1 = a[offset + 1];
            double r2 = a[offset + 2];
            double r3 = a[offset + 3];
            double r4 = a[offset + 4];
            double r5 = a[offset + 5];
            double r6 = a[offset + 6];
            double r7 = a[offset + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                int o = offset + i;
                r0 += a[o];
                r1 += a[o + 1];
                r2 += a[o + 2];
                r3 += a[o + 3];
                r4 += a[o + 4];
                r5 += a[o + 5];
                r6 += a[o + 6];
                r7 += a[o + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[offset + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, offset, n2) + pairwiseSum(a, offset + n2, n - n2);
        }
    }

    /**
     * {@code np.sum} of a contiguous 1-d float64 vector: the reduction starts from 0 and adds the pairwise sum of each
     * block of {@value #BUFSIZE} elements (numpy's iterator hands the inner loop at most its buffer size at a time).
     */
    public static double sum(double[] a, int n) {
        double acc = 0.;
        for (int off = 0; off < n; off += BUFSIZE) {
            acc += pairwiseSum(a, off, Math.min(BUFSIZE, n - off));
        }
        return acc;
    }

    /** {@code np.mean} of a contiguous 1-d float64 vector: {@link #sum} divided by the count; NaN when empty. */
    public static double mean(double[] a, int n) {
        return sum(a, n) / n;
    }

    /** numpy's float ordering for sorts: {@code a < b}, with NaN after everything. */
    static boolean lessThan(double a, double b) {
        return a < b || (b != b && a == a);
    }

    /**
     * Sorts {@code idx[from, to)} in place so that their {@code -score} keys ascend, stably: the same permutation as
     * {@code np.argsort(-scores, kind='mergesort')} applied to that sub-list. {@code tmp} must hold at least
     * {@code to - from} ints.
     */
    public static void stableSortByScoreDesc(int[] idx, int from, int to, double[] score, int[] tmp) {
        int n = to - from;
        if (n < 2) {
            return;
        }
        if (n <= 24) {
            insertionSortDesc(idx, from, to, score);
            return;
        }
        // bottom-up merge sort with insertion-sorted runs
        final int run = 16;
        for (int s = from; s < to; s += run) {
            insertionSortDesc(idx, s, Math.min(s + run, to), score);
        }
        int[] src = idx;
        int[] dst = tmp;
        int srcOff = from;
        int dstOff = 0;
        for (int width = run; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + (width << 1), n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    int a = src[srcOff + i];
                    int b = src[srcOff + j];
                    // take from the right only when strictly before (stability)
                    if (lessThan(-score[b], -score[a])) {
                        dst[dstOff + k++] = b;
                        j++;
                    } else {
                        dst[dstOff + k++] = a;
                        i++;
                    }
                }
                while (i < mid) {
                    dst[dstOff + k++] = src[srcOff + i++];
                }
                while (j < hi) {
                    dst[dstOff + k++] = src[srcOff + j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
            int to2 = srcOff;
            srcOff = dstOff;
            dstOff = to2;
        }
        if (src != idx) {
            System.arraycopy(src, srcOff, idx, from, n);
        }
    }

    private static void insertionSortDesc(int[] idx, int from, int to, double[] score) {
        for (int i = from + 1; i < to; i++) {
            int v = idx[i];
            double key = -score[v];
            int j = i - 1;
            while (j >= from && lessThan(key, -score[idx[j]])) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }
}
