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
