package org.detcon.segmentation.fh;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * numpy's introsort ({@link NumpyIntroSort}) run only as far as needed to know the order numpy gives to the
 * elements with one key value.
 *
 * <p>The sort is a set of tasks on disjoint ranges. A task's range always holds exactly the elements that end up
 * there, and a task whose range was produced by partitioning around pivots knows bounds [lo, hi] of its values.
 * To find numpy's order of the elements equal to v, only the tasks whose bounds contain v are run (each the way
 * numpy runs it), their children likewise, until every range that can hold a v is finished. The v-elements are
 * then in their final positions, in numpy's order. Cost: about {@code n log2(g)} element moves for g resolved
 * values instead of {@code n log2(n)} for the full sort. After many resolutions the rest of the sort is run and
 * lookups become binary searches.
 */
final class LazyIntroSort {

    /** Resolutions after which the whole sort is finished instead. */
    static final int COMPLETE_AFTER = 48;

    private final double[] v;
    private final int[] t;
    private final List<Task> pending = new ArrayList<>();
    private final TreeMap<Integer, Task> finished = new TreeMap<>();
    private boolean complete;
    private int resolutions;

    /** A range [pl, pr] with numpy's depth budget and value bounds; {@code check}: a popped task. */
    private record Task(int pl, int pr, int cdepth, boolean check, double lo, double hi) {
        boolean mayHold(double x) {
            return lo <= x && x <= hi;
        }
    }

    /**
     * @param keys the values in the order numpy receives them (taken over and permuted)
     * @param idx  what is reported for each value (taken over and permuted in lock step)
     */
    LazyIntroSort(double[] keys, int[] idx) {
        if (keys.length != idx.length) {
            throw new IllegalArgumentException("keys and idx differ in length");
        }
        this.v = keys;
        this.t = idx;
        if (keys.length > 0) {
            pending.add(new Task(0, keys.length - 1, NumpyIntroSort.npyGetMsb(keys.length) * 2, true,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        }
    }

    /** How many values were resolved so far. */
    int resolutions() {
        return resolutions;
    }

    /** The indices of the elements whose key equals {@code x}, in the order numpy's introsort puts them. */
    int[] indicesWithKey(double x) {
        resolutions++;
        if (!complete && resolutions > COMPLETE_AFTER) {
            finishAll();
        }
        if (complete) {
            int a = lowerBound(x);
            int b = a;
            while (b < v.length && v[b] == x) {
                b++;
            }
            return Arrays.copyOfRange(t, a, b);
        }
        ArrayDeque<Task> work = new ArrayDeque<>();
        for (int i = pending.size() - 1; i >= 0; i--) {
            if (pending.get(i).mayHold(x)) {
                work.add(pending.remove(i));
            }
        }
        while (!work.isEmpty()) {
            for (Task c : run(work.pop())) {
                (c.mayHold(x) ? work : pending).add(c);
            }
        }
        int[] out = new int[16];
        int n = 0;
        for (Task f : finished.values()) {
            if (!f.mayHold(x)) {
                continue;
            }
            for (int p = f.pl; p <= f.pr; p++) {
                if (v[p] == x) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, 2 * n);
                    }
                    out[n++] = t[p];
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Runs one task as numpy does; returns its child tasks (none when it finished its range). */
    private List<Task> run(Task k) {
        int pl = k.pl;
        int pr = k.pr;
        if (k.check && k.cdepth < 0) {
            NumpyIntroSort.heapsort(v, t, pl, pr - pl + 1);
            finished.put(pl, k);
            return List.of();
        }
        if (pr - pl <= NumpyIntroSort.SMALL_QUICKSORT) {
            NumpyIntroSort.insertionSort(v, t, pl, pr);
            finished.put(pl, k);
            return List.of();
        }
        int pi = NumpyIntroSort.partition(v, t, pl, pr);
        double vp = v[pi];
        int d = k.cdepth - 1;
        finished.put(pi, new Task(pi, pi, d, false, vp, vp));
        // numpy pushes the larger part (checked against the budget when popped) and goes on with the smaller
        boolean leftLarger = !(pi - pl < pr - pi);
        List<Task> children = new ArrayList<>(2);
        if (pi - 1 >= pl) {
            children.add(new Task(pl, pi - 1, d, leftLarger, k.lo, vp));
        }
        if (pr >= pi + 1) {
            children.add(new Task(pi + 1, pr, d, !leftLarger, vp, k.hi));
        }
        return children;
    }

    /** Runs the rest of the sort: afterwards the keys and indices are in numpy's full order. */
    void finishAll() {
        if (complete) {
            return;
        }
        ArrayDeque<Task> work = new ArrayDeque<>(pending);
        pending.clear();
        while (!work.isEmpty()) {
            work.addAll(run(work.pop()));
        }
        finished.clear();
        complete = true;
    }

    /** The keys, in numpy's order after {@link #finishAll()}. */
    double[] keys() {
        return v;
    }

    /** The indices, in numpy's order after {@link #finishAll()}. */
    int[] indices() {
        return t;
    }

    private int lowerBound(double x) {
        int lo = 0;
        int hi = v.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
