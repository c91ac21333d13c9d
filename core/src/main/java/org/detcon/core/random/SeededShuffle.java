package org.detcon.core.random;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The one seeded shuffle of the project (Fisher-Yates from the last element down, {@code j = nextInt(i + 1)}): the
 * order of a list, and so of training data, is a pure function of the generator's seed.
 */
public final class SeededShuffle {

    private SeededShuffle() {
    }

    /** Shuffles {@code list} in place. */
    public static <T> void shuffle(List<T> list, RandomGenerator rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** Shuffles {@code a} in place, with the same draws as {@link #shuffle(List, RandomGenerator)}. */
    public static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
