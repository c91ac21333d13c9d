package org.detcon.segmentation.fh;

/**
 * Exact port of numpy 1.24's {@code aquicksort_<npy::double_tag>} (the scalar introsort behind
 * {@code np.argsort(kind='quicksort')} for float64), spec §4: median-of-3 quicksort, insertion sort below 16
 * elements, heapsort when the depth budget {@code 2*floor(log2 n)} runs out.
 *
 * <p>Instead of sorting an index array by {@code v[t[i]]}, this sorts the keys themselves and permutes the index
 * array in lock step ({@code keys[i] == v[idx[i]]} throughout). Every comparison sees the same values as numpy's
 * indirect version, so every decision and therefore the final index order is identical, without the random
 * memory access. Keys must not be NaN.
 *
 * <p>The sort is a set of independent <em>tasks</em> on disjoint ranges: a range either is split by
 * {@link #partition} into two child tasks (both with depth budget {@code cdepth - 1}; numpy pushes the larger,
 * which is checked against the budget when popped, and goes on with the smaller, which is not), or is finished
 * by {@link #insertionSort} (at most 16 elements) or {@link #heapsort} (a popped task whose budget ran out).
 * {@link #sort} runs them in numpy's order; {@link LazyIntroSort} runs only the ones it needs, which gives the
 * same result on those ranges because tasks never touch each other's elements.
 */
public final class NumpyIntroSort {

    /** Ranges with more than this many elements minus one are partitioned. */
    static final int SMALL_QUICKSORT = 15;
    private static final int PYA_QS_STACK = 128;

    private NumpyIntroSort() {
    }

    /** Sorts {@code keys} ascending and applies the same permutation to {@code idx} (numpy's tie order). */
    public static void sort(double[] keys, int[] idx) {
        if (keys.length != idx.length) {
            throw new IllegalArgumentException("keys and idx differ in length");
        }
        sort(keys, idx, 0, keys.length);
    }

    /** As {@link #sort(double[], int[])} on the range [from, from+n). */
    public static void sort(double[] v, int[] t, int from, int n) {
        if (n < 2) {
            return;
        }
        int pl = from;
        int pr = from + n - 1;
        int[] stack = new int[PYA_QS_STACK];
        int[] depthStack = new int[PYA_QS_STACK];
        int sptr = 0;
        int dptr = 0;
        int cdepth = npyGetMsb(n) * 2;

        for (;;) {
            if (cdepth < 0) {
                heapsort(v, t, pl, pr - pl + 1);
            } else {
                while ((pr - pl) > SMALL_QUICKSORT) {
                    int pi = partition(v, t, pl, pr);
                    // push largest partition on stack
                    if (pi - pl < pr - pi) {
                        stack[sptr++] = pi + 1;
                        stack[sptr++] = pr;
                        pr = pi - 1;
                    } else {
                        stack[sptr++] = pl;
                        stack[sptr++] = pi - 1;
                        pl = pi + 1;
                    }
                    depthStack[dptr++] = --cdepth;
                }
                insertionSort(v, t, pl, pr);
            }
            // stack_pop:
            if (sptr == 0) {
                break;
            }
            pr = stack[--sptr];
            pl = stack[--sptr];
            cdepth = depthStack[--dptr];
        }
    }

    /**
     * One quicksort step on [pl, pr] (more than 16 elements): median of 3, Hoare partition around the pivot value,
     * pivot moved to its final place. Returns the pivot's index pi: [pl, pi-1] holds values &lt;= v[pi], [pi+1, pr]
     * values &gt;= v[pi].
     */
    static int partition(double[] v, int[] t, int pl, int pr) {
        int pm = pl + ((pr - pl) >> 1);
        if (v[pm] < v[pl]) {
            swap(v, t, pm, pl);
        }
        if (v[pr] < v[pm]) {
            swap(v, t, pr, pm);
        }
        if (v[pm] < v[pl]) {
            swap(v, t, pm, pl);
        }
        double vp = v[pm];
        int pi = pl;
        int pj = pr - 1;
        swap(v, t, pm, pj);
        for (;;) {
            do {
                ++pi;
            } while (v[pi] < vp);
            do {
                --pj;
            } while (vp < v[pj]);
            if (pi >= pj) {
                break;
            }
            swap(v, t, pi, pj);
        }
        swap(v, t, pi, pr - 1);
        return pi;
    }

    /** numpy's insertion sort of [pl, pr]. */
    static void insertionSort(double[] v, int[] t, int pl, int pr) {
        for (int pi = pl + 1; pi <= pr; ++pi) {
            int vi = t[pi];
            double vv = v[pi];
            int pj = pi;
            while (pj > pl && vv < v[pj - 1]) {
                t[pj] = t[pj - 1];
                v[pj] = v[pj - 1];
                pj--;
            }
            t[pj] = vi;
            v[pj] = vv;
        }
    }

    /** numpy's {@code aheapsort_} on the range [lo, lo+n), with 1-based a[i] = element lo+i-1. */
    static void heapsort(double[] v, int[] t, int lo, int n) {
        int base = lo - 1;
        for (int l = n >> 1; l > 0; --l) {
            siftDown(v, t, base, l, n);
        }
        for (; n > 1;) {
            int tmpT = t[base + n];
            double tmpV = v[base + n];
            t[base + n] = t[base + 1];
            v[base + n] = v[base + 1];
            n -= 1;
            int i = 1;
            int j = 2;
            for (; j <= n;) {
                if (j < n && v[base + j] < v[base + j + 1]) {
                    j++;
                }
                if (tmpV < v[base + j]) {
                    t[base + i] = t[base + j];
                    v[base + i] = v[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            t[base + i] = tmpT;
            v[base + i] = tmpV;
        }
    }

    private static void siftDown(double[] v, int[] t, int base, int l, int n) {
        int tmpT = t[base + l];
        double tmpV = v[base + l];
        int i = l;
        int j = l << 1;
        for (; j <= n;) {
            if (j < n && v[base + j] < v[base + j + 1]) {
                j += 1;
            }
            if (tmpV < v[base + j]) {
                t[base + i] = t[base + j];
                v[base + i] = v[base + j];
                i = j;
                j += j;
            } else {
                break;
            }
        }
        t[base + i] = tmpT;
        v[base + i] = tmpV;
    }

    /** numpy's {@code npy_get_msb}: floor(log2(n)) for n &gt;= 1. */
    static int npyGetMsb(long n) {
        int depth = 0;
        for (n >>>= 1; n > 0; n >>>= 1) {
            depth++;
        }
        return depth;
    }

    private static void swap(double[] v, int[] t, int a, int b) {
        double tv = v[a];
        v[a] = v[b];
        v[b] = tv;
        int tt = t[a];
        t[a] = t[b];
        t[b] = tt;
    }
}
