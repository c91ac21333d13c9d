package org.detcon.segmentation.fh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The introsort and heapsort ports against numpy 1.24.2's np.argsort on tie-heavy arrays (argsort.json.gz). */
class NumpyIntroSortTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = new GZIPInputStream(NumpyIntroSortTest.class.getResourceAsStream("/fh/argsort.json.gz"))) {
            return new ObjectMapper().readTree(in).get("cases");
        }
    }

    private static double[] values(JsonNode c) {
        JsonNode v = c.get("values");
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode v) {
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).asInt();
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    @Test
    void introsortMatchesNumpyArgsort() throws IOException {
        for (JsonNode c : cases()) {
            double[] v = values(c);
            double[] keys = v.clone();
            int[] t = identity(v.length);
            NumpyIntroSort.sort(keys, t);
            assertArrayEquals(ints(c.get("quicksort")), t, "np.argsort order, n=" + v.length);
            for (int i = 0; i < v.length; i++) {
                assertEquals(v[t[i]], keys[i], "keys permuted with the indices");
            }
        }
    }

    /** For every value of every case, the lazily sorted order of its elements is numpy's. */
    @Test
    void lazyIntrosortGivesNumpysOrderOfEachValue() throws IOException {
        for (JsonNode c : cases()) {
            double[] v = values(c);
            int[] expected = ints(c.get("quicksort"));
            LazyIntroSort lazy = new LazyIntroSort(v.clone(), identity(v.length));
            java.util.List<Double> distinct = new java.util.ArrayList<>();
            for (double x : v) {
                distinct.add(x);
            }
            java.util.Collections.shuffle(distinct, new java.util.Random(v.length));
            java.util.Set<Double> seen = new java.util.HashSet<>();
            for (double x : distinct) {
                if (!seen.add(x)) {
                    continue;
                }
                java.util.List<Integer> want = new java.util.ArrayList<>();
                for (int i : expected) {
                    if (v[i] == x) {
                        want.add(i);
                    }
                }
                int[] got = lazy.indicesWithKey(x);
                assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), got,
                        "numpy's order of value " + x + ", n=" + v.length + ", lookup " + lazy.resolutions());
            }
            lazy.finishAll();
            assertArrayEquals(expected, lazy.indices(), "the finished lazy sort is np.argsort, n=" + v.length);
        }
    }

    /** Large tie-heavy arrays (deep recursion, heapsort fallbacks): lazy lookups agree with the full port. */
    @Test
    void lazyIntrosortAgreesWithTheFullPortOnLargeArrays() {
        java.util.Random rnd = new java.util.Random(9);
        for (int it = 0; it < 6; it++) {
            int n = 50_000 + rnd.nextInt(150_000);
            double[] v = new double[n];
            int levels = 1 + rnd.nextInt(it < 3 ? 40 : 5000);
            for (int i = 0; i < n; i++) {
                // sorted, reversed and organ-pipe stretches push the introsort into its heapsort fallback
                int pattern = (i / 5000) % 4;
                int level = pattern == 0 ? rnd.nextInt(levels) : pattern == 1 ? i % levels
                        : pattern == 2 ? levels - 1 - i % levels : Math.abs(i % (2 * levels) - levels);
                v[i] = level * 0.001;
            }
            int[] full = identity(n);
            NumpyIntroSort.sort(v.clone(), full);
            LazyIntroSort lazy = new LazyIntroSort(v.clone(), identity(n));
            for (int q = 0; q < 12; q++) {
                double x = v[rnd.nextInt(n)];
                int[] got = lazy.indicesWithKey(x);
                int[] want = java.util.Arrays.stream(full).filter(i -> v[i] == x).toArray();
                assertArrayEquals(want, got, "value " + x + " n=" + n + " levels=" + levels);
            }
        }
    }

    @Test
    void heapsortMatchesNumpyHeapsort() throws IOException {
        for (JsonNode c : cases()) {
            double[] v = values(c);
            int[] t = identity(v.length);
            NumpyIntroSort.heapsort(v.clone(), t, 0, v.length);
            assertArrayEquals(ints(c.get("heapsort")), t, "np.argsort(kind='heapsort') order, n=" + v.length);
        }
    }

    @Test
    void msbAndTrivialSizes() {
        assertEquals(0, NumpyIntroSort.npyGetMsb(1));
        assertEquals(3, NumpyIntroSort.npyGetMsb(15));
        assertEquals(4, NumpyIntroSort.npyGetMsb(16));
        NumpyIntroSort.sort(new double[0], new int[0]);
        double[] one = {3.0};
        int[] t = {0};
        NumpyIntroSort.sort(one, t);
        assertEquals(0, t[0]);
    }
}
