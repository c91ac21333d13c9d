package org.detcon.eval.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The detector's golden fixtures (made by tools/fixtures/make_detection_fixtures.py from torchvision 0.14): JSON with
 * arrays as {@code {"shape", "dtype": f4|i4|u1, "b64"}}, loaded once per file.
 */
public final class DetectionFixtures {

    private static final Map<String, JsonNode> CACHE = new HashMap<>();

    private DetectionFixtures() {
    }

    public static synchronized JsonNode load(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = DetectionFixtures.class.getResourceAsStream("/fixtures/detection/" + n)) {
                if (in == null) {
                    throw new IllegalStateException("missing fixture detection/" + n);
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static JsonNode ops(String key) {
        return load("ops.json").get(key);
    }

    private static ByteBuffer bytes(JsonNode a) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(a.get("b64").asText())).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long[] shape(JsonNode a) {
        long[] s = new long[a.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get("shape").get(i).asLong();
        }
        return s;
    }

    public static float[] floats(JsonNode a) {
        require(a, "f4");
        ByteBuffer b = bytes(a);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public static int[] ints(JsonNode a) {
        require(a, "i4");
        ByteBuffer b = bytes(a);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    public static byte[] bytesU1(JsonNode a) {
        require(a, "u1");
        return Base64.getDecoder().decode(a.get("b64").asText());
    }

    private static void require(JsonNode a, String dtype) {
        if (!dtype.equals(a.get("dtype").asText())) {
            throw new IllegalArgumentException("fixture array is " + a.get("dtype") + ", not " + dtype);
        }
    }

    /** Largest |a − b| / (atol + rtol·|b|) over the arrays: ≤ 1 means within tolerance. */
    public static double worst(float[] a, float[] b, double atol, double rtol) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs((double) a[i] - b[i]) / (atol + rtol * Math.abs(b[i])));
        }
        return w;
    }

    /** Asserts every element within {@code atol + rtol·|expected|}. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs((double) actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
