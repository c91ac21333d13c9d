package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The weights and images of the torchvision equivalence check, computed from a formula both sides implement
 * (tools/fixtures/make_detection_fixtures.py, {@code formula_value} and {@code formula_image}): SplitMix64 outputs
 * keyed by the CRC-32 of the torchvision parameter name.
 */
final class FormulaWeights {

    private FormulaWeights() {
    }

    /** SplitMix64 outputs for counters 1..n from {@code seed}, as doubles in [0, 1) (top 53 bits). */
    static double[] uniform(long seed, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long z = seed + (i + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            out[i] = (z >>> 11) * 0x1.0p-53;
        }
        return out;
    }

    /** {@code formula_value(name, shape, gains, overrides)}. */
    static float[] value(String name, long[] shape, Map<String, Double> gains, Map<String, float[]> overrides) {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        double[] u = uniform(crc.getValue(), (int) count);
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        float[] v = new float[u.length];
        if (leaf.equals("weight") && shape.length > 1) {
            long fanIn = 1;
            for (int i = 1; i < shape.length; i++) {
                fanIn *= shape[i];
            }
            if (name.endsWith("conv5_mask.weight")) {
                fanIn = shape[0] * 4;
            }
            double a = Math.sqrt(6.0 / fanIn);
            double gain = gains.getOrDefault(name, 1.0);
            for (int i = 0; i < u.length; i++) {
                v[i] = (float) (a * (2 * u[i] - 1) * gain);
            }
        } else if (leaf.equals("weight")) {
            for (int i = 0; i < u.length; i++) {
                v[i] = (float) (0.5 + 0.25 * u[i]);
            }
        } else if (leaf.equals("running_var")) {
            for (int i = 0; i < u.length; i++) {
                v[i] = (float) (1.0 + u[i]);
            }
        } else if (leaf.equals("bias") || leaf.equals("running_mean")) {
            for (int i = 0; i < u.length; i++) {
                v[i] = (float) (0.1 * (2 * u[i] - 1));
            }
        } else {
            throw new IllegalArgumentException(name);
        }
        return v;
    }

    /**
     * Sets every parameter of {@code net} by the formula (names and shapes checked against torchvision's state dict
     * as listed in the fixture); returns the number of values set.
     */
    static long apply(MaskRcnnNet net, JsonNode fixture) {
        Map<String, Double> gains = new HashMap<>();
        fixture.get("gains").properties().forEach(e -> gains.put(e.getKey(), e.getValue().asDouble()));
        Map<String, float[]> overrides = new HashMap<>();
        fixture.get("overrides").properties().forEach(e -> {
            float[] v = new float[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) e.getValue().get(i).asDouble();
            }
            overrides.put(e.getKey(), v);
        });
        Map<String, Parameter> params = net.torchvisionNames();
        if (params.size() != fixture.get("state_dict").size()) {
            throw new AssertionError("the model maps " + params.size() + " torchvision names, the state dict has "
                    + fixture.get("state_dict").size());
        }
        long total = 0;
        for (JsonNode entry : fixture.get("state_dict")) {
            String name = entry.get(0).asText();
            long[] shape = new long[entry.get(1).size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get(1).get(i).asLong();
            }
            Parameter p = params.get(name);
            if (p == null) {
                throw new AssertionError("no parameter for torchvision's " + name);
            }
            NDArray a = p.getArray();
            if (!java.util.Arrays.equals(a.getShape().getShape(), shape)) {
                throw new AssertionError(name + ": shape " + a.getShape() + ", torchvision "
                        + java.util.Arrays.toString(shape));
            }
            a.set(value(name, shape, gains, overrides));
            total += a.size();
        }
        return total;
    }

    /** {@code formula_image(seed, h, w)}: CHW pixels ⌊256u⌋/255 (float32). */
    static float[] image(long seed, int h, int w) {
        double[] u = uniform(seed, 3 * h * w);
        float[] out = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = (float) Math.floor(u[i] * 256) / 255f;
        }
        return out;
    }

    /** {@code ellipse_mask(h, w, cx, cy, rx, ry)}. */
    static byte[] ellipse(int h, int w, double cx, double cy, double rx, double ry) {
        byte[] m = new byte[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x + 0.5 - cx) / rx;
                double dy = (y + 0.5 - cy) / ry;
                m[y * w + x] = (byte) (dx * dx + dy * dy <= 1.0 ? 1 : 0);
            }
        }
        return m;
    }
}
