package org.detcon.eval.metrics.depth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DepthMetricsAccumulatorTest {

    @Test
    void handComputedSingleImage() {
        // gt 1, 2, 4 ; pred 1, 2.5, 2 ; plus an invalid gt pixel (0) with a garbage prediction
        float[] gt = {1f, 2f, 4f, 0f};
        float[] pred = {1f, 2.5f, 2f, -7f};
        DepthMetrics m = DepthMetricsAccumulator.ofImage(gt, pred, DepthRange.NYU);
        // ratios 1, 1.25, 2 -> δ1 counts only ratio 1 (strict <), δ2 (1.5625) counts 2, δ3 (1.953125) counts 2
        assertEquals(1.0 / 3, m.delta1(), 1e-15);
        assertEquals(2.0 / 3, m.delta2(), 1e-15);
        assertEquals(2.0 / 3, m.delta3(), 1e-15);
        assertEquals(100.0 / 3, m.delta1Percent(), 1e-12);
        assertEquals((0 + 0.25 + 0.5) / 3, m.absRel(), 1e-15);
        assertEquals((0 + 0.25 / 2 + 4.0 / 4) / 3, m.sqRel(), 1e-15);
        assertEquals(Math.sqrt((0 + 0.25 + 4) / 3), m.rmse(), 1e-15);
        double l1 = Math.log(2) - Math.log(2.5), l2 = Math.log(4) - Math.log(2);
        assertEquals(Math.sqrt((l1 * l1 + l2 * l2) / 3), m.rmseLog(), 1e-15);
        assertEquals((Math.abs(Math.log10(2 / 2.5)) + Math.log10(2)) / 3, m.log10(), 1e-15);
    }

    @Test
    void perImageMeanVersusPooled() {
        // image A: one pixel, abs rel 0.5; image B: three pixels, abs rel 0
        var acc = new DepthMetricsAccumulator(DepthRange.NYU, false)
                .add(new float[] {2f}, new float[] {1f})
                .add(new float[] {1f, 1f, 1f}, new float[] {1f, 1f, 1f});
        assertEquals(0.25, acc.result(DepthAveraging.PER_IMAGE_MEAN).metrics().absRel(), 0);
        assertEquals(0.125, acc.result(DepthAveraging.POOLED_PIXELS).metrics().absRel(), 0);
        DepthEvaluation ev = acc.result(DepthAveraging.PER_IMAGE_MEAN);
        assertEquals(2, ev.images());
        assertEquals(4, ev.validPixels());
    }

    @Test
    void rangeMaskAndPredictionChecks() {
        float[] gt = {0.5f, 11f, Float.NaN, Float.POSITIVE_INFINITY, 0f, 3f};
        boolean[] mask = DepthRange.NYU.validMask(gt);
        assertTrue(mask[0] && !mask[1] && !mask[2] && !mask[3] && !mask[4] && mask[5]);
        var acc = new DepthMetricsAccumulator();
        var e = assertThrows(IllegalArgumentException.class,
                () -> acc.add(gt, new float[] {1f, 1f, 1f, 1f, 1f, 0f}));
        assertTrue(e.getMessage().contains("pixel 5"), e.getMessage());
        assertEquals(0, acc.result(DepthAveraging.POOLED_PIXELS).images());
        // clamping turns the 0 prediction into min depth
        var clamped = new DepthMetricsAccumulator(DepthRange.NYU, true).add(gt, new float[] {1f, 1f, 1f, 1f, 1f, 0f});
        assertEquals(2, clamped.result(DepthAveraging.POOLED_PIXELS).validPixels());
        // an explicit mask restricts further
        var masked = new DepthMetricsAccumulator().add(gt, new float[] {1f, 1f, 1f, 1f, 1f, 0f},
                new boolean[] {true, true, true, true, true, false});
        assertEquals(1, masked.result(DepthAveraging.POOLED_PIXELS).validPixels());
        assertThrows(IllegalArgumentException.class, () -> new DepthRange(0, 10));
    }

    @Test
    void noValidPixelsGivesNaN() {
        var acc = new DepthMetricsAccumulator().add(new float[] {0f}, new float[] {1f});
        DepthEvaluation ev = acc.result(DepthAveraging.PER_IMAGE_MEAN);
        assertTrue(Double.isNaN(ev.metrics().rmse()));
        assertEquals(1, ev.imagesWithoutValidPixels());
    }

    @Test
    void matchesNumpyGoldenValues() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/metrics/depth_golden.json")) {
            root = new ObjectMapper().readTree(in);
        }
        assertEquals(2, root.get("cases").size());
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            DepthRange range = new DepthRange(c.get("min_depth").asDouble(), c.get("max_depth").asDouble());
            var a = new DepthMetricsAccumulator(range, false);
            var b = new DepthMetricsAccumulator(range, false);
            for (int i = 0; i < c.get("gt").size(); i++) {
                float[] gt = floats(c.get("gt").get(i));
                boolean[] valid = range.validMask(gt);
                JsonNode ev = c.get("valid").get(i);
                for (int k = 0; k < valid.length; k++) {
                    assertEquals(ev.get(k).asInt() == 1, valid[k], name + " valid mask pixel " + k);
                }
                (i < 2 ? a : b).add(gt, floats(c.get("pred").get(i)));
            }
            a.merge(b);
            DepthEvaluation perImage = a.result(DepthAveraging.PER_IMAGE_MEAN);
            DepthEvaluation pooled = a.result(DepthAveraging.POOLED_PIXELS);
            assertEquals(c.get("valid_pixels").asLong(), pooled.validPixels(), name);
            assertEquals(c.get("images_with_valid_pixels").asInt(), perImage.images() - perImage.imagesWithoutValidPixels());
            check(c.get("expected_per_image"), perImage.metrics(), name + " per-image");
            check(c.get("expected_pooled"), pooled.metrics(), name + " pooled");
        }
    }

    private static void check(JsonNode expected, DepthMetrics actual, String what) {
        Map<String, Double> m = actual.asMap();
        assertEquals(8, expected.size());
        expected.fieldNames().forEachRemaining(k -> {
            double e = expected.get(k).asDouble();
            assertEquals(e, m.get(k), 1e-12 * Math.max(1, Math.abs(e)), what + " " + k);
        });
    }

    private static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = arr.get(i);
            out[i] = v.isTextual() ? (float) Double.parseDouble(v.asText()) : (float) v.asDouble();
        }
        return out;
    }
}
