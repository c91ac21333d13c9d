package org.detcon.eval.coco.eval;

import java.util.Arrays;

/** A small open-addressing map from {@code long} ids to their position in a list ({@code -1} when absent). */
final class LongIndex {

    private final long[] keys;
    private final int[] values;
    private final boolean[] used;
    private final int mask;

    LongIndex(long[] ids) {
        int cap = Integer.highestOneBit(Math.max(4, ids.length * 2 + 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        used = new boolean[cap];
        mask = cap - 1;
        Arrays.fill(values, -1);
        for (int i = 0; i < ids.length; i++) {
            int s = slot(ids[i]);
            if (!used[s]) {
                used[s] = true;
                keys[s] = ids[i];
                values[s] = i;
            }
        }
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        int s = (int) (h ^ (h >>> 32)) & mask;
        while (used[s] && keys[s] != k) {
            s = (s + 1) & mask;
        }
        return s;
    }

    int get(long k) {
        int s = slot(k);
        return used[s] ? values[s] : -1;
    }
}
