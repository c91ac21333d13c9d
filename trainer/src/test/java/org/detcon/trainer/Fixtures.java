package org.detcon.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the committed golden fixtures (made by tools/fixtures/*.py) from test resources. */
public final class Fixtures {

    private Fixtures() {
    }

    public static JsonNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested JSON number array as a float64 NDArray of its shape. */
    public static NDArray array(NDManager m, JsonNode node) {
        List<Long> dims = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            dims.add((long) n.size());
            n = n.get(0);
        }
        List<Double> flat = new ArrayList<>();
        flatten(node, flat);
        double[] d = new double[flat.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = flat.get(i);
        }
        return m.create(d, new Shape(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            for (JsonNode c : node) {
                flatten(c, out);
            }
        } else {
            out.add(node.asDouble());
        }
    }

    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
