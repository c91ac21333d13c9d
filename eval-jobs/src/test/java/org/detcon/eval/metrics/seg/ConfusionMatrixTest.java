package org.detcon.eval.metrics.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void handComputedTwoClassesWithIgnoreAndAbsentClass() {
        // 3 classes; class 2 never appears in gt or pred -> NaN, excluded from means; 255 ignored
        int[] gt = {0, 0, 0, 1, 1, 255, 255};
        int[] pred = {0, 0, 1, 1, 0, 2, 1};
        ConfusionMatrix cm = ConfusionMatrix.of(3, 255, gt, pred);
        assertEquals(2, cm.count(0, 0));
        assertEquals(1, cm.count(0, 1));
        assertEquals(1, cm.count(1, 0));
        assertEquals(1, cm.count(1, 1));
        assertEquals(5, cm.total());
        SegMetrics m = cm.metrics();
        // class 0: tp 2, gt 3, pred 3 -> 2/4; class 1: tp 1, gt 2, pred 2 -> 1/3
        assertEquals(0.5, m.iou(0), 0);
        assertEquals(1.0 / 3, m.iou(1), 1e-15);
        assertTrue(Double.isNaN(m.iou(2)));
        assertEquals((0.5 + 1.0 / 3) / 2, m.meanIou(), 1e-15);
        assertEquals(3.0 / 5, m.pixelAccuracy(), 1e-15);
        assertEquals((2.0 / 3 + 1.0 / 2) / 2, m.meanClassAccuracy(), 1e-15);
        assertEquals(5, m.evaluatedPixels());
    }

    @Test
    void predictedButAbsentClassCountsAsZeroIou() {
        ConfusionMatrix cm = ConfusionMatrix.of(2, 255, new int[] {0, 0}, new int[] {0, 1});
        SegMetrics m = cm.metrics();
        assertEquals(0.5, m.iou(0), 0);
        assertEquals(0.0, m.iou(1), 0);
        assertEquals(0.25, m.meanIou(), 0);
        assertTrue(Double.isNaN(m.classAccuracy()[1]));
        assertEquals(0.5, m.meanClassAccuracy(), 0);
    }

    @Test
    void errorsOnBadLabels() {
        var acc = ConfusionMatrix.accumulator(21, 255);
        var e = assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {0, 21}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("ground-truth label 21 at pixel 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {0, 1}, new int[] {0, 255}));
        assertTrue(e.getMessage().contains("predicted label 255 at pixel 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {-1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> acc.add(new int[] {0}, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.accumulator(21, 3));
        // a rejected image adds nothing
        assertEquals(0, acc.snapshot().total());
        // prediction at an ignored pixel is not checked
        acc.add(new int[] {255}, new int[] {99});
        assertEquals(0, acc.snapshot().total());
    }

    @Test
    void mergeEqualsSequentialAndPlus() {
        int[] g1 = {0, 1, 2, 2}, p1 = {0, 2, 2, 1};
        int[] g2 = {1, 1, 255, 0}, p2 = {1, 0, 0, 0};
        var seq = ConfusionMatrix.accumulator(3, 255).add(g1, p1).add(g2, p2).snapshot();
        var a = ConfusionMatrix.accumulator(3, 255).add(g1, p1);
        var b = ConfusionMatrix.accumulator(3, 255).add(g2, p2);
        assertEquals(seq, a.merge(b).snapshot());
        assertEquals(seq, ConfusionMatrix.of(3, 255, g1, p1).plus(ConfusionMatrix.of(3, 255, g2, p2)));
        assertThrows(IllegalArgumentException.class, () -> seq.plus(ConfusionMatrix.of(4, 255, g1, p1)));
    }

    @Test
    void resultsAreImmutable() {
        SegMetrics m = ConfusionMatrix.of(2, 255, new int[] {0, 1}, new int[] {0, 1}).metrics();
        m.classIou()[0] = 42;
        assertEquals(1.0, m.iou(0), 0);
        ConfusionMatrix cm = ConfusionMatrix.of(2, 255, new int[] {0, 1}, new int[] {0, 1});
        cm.counts()[0] = 42;
        assertEquals(1, cm.count(0, 0));
    }

    @Test
    void matchesNumpyGoldenValues() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/metrics/seg_golden.json")) {
            root = new ObjectMapper().readTree(in);
        }
        assertEquals(3, root.get("cases").size());
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            int n = c.get("num_classes").asInt();
            var acc = ConfusionMatrix.accumulator(n, c.get("ignore").asInt());
            // accumulate the images across two accumulators and merge, as a parallel job would
            var other = ConfusionMatrix.accumulator(n, c.get("ignore").asInt());
            for (int i = 0; i < c.get("gt").size(); i++) {
                (i % 2 == 0 ? acc : other).add(ints(c.get("gt").get(i)), ints(c.get("pred").get(i)));
            }
            ConfusionMatrix cm = acc.merge(other).snapshot();
            JsonNode e = c.get("expected");
            long[] counts = new long[n * n];
            for (int g = 0; g < n; g++) {
                for (int p = 0; p < n; p++) {
                    counts[g * n + p] = e.get("confusion").get(g).get(p).asLong();
                }
            }
            assertArrayEquals(counts, cm.counts(), name);
            SegMetrics m = cm.metrics();
            assertClose(e.get("iou"), m.classIou(), name + " iou");
            assertClose(e.get("class_accuracy"), m.classAccuracy(), name + " class acc");
            assertEquals(e.get("miou").asDouble(), m.meanIou(), 1e-12, name);
            assertEquals(e.get("pixel_accuracy").asDouble(), m.pixelAccuracy(), 1e-12, name);
            assertEquals(e.get("mean_class_accuracy").asDouble(), m.meanClassAccuracy(), 1e-12, name);
            assertEquals(e.get("evaluated_pixels").asLong(), m.evaluatedPixels(), name);
        }
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

    private static void assertClose(JsonNode expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            if (expected.get(i).isNull()) {
                assertTrue(Double.isNaN(actual[i]), what + "[" + i + "] should be NaN, was " + actual[i]);
            } else {
                assertEquals(expected.get(i).asDouble(), actual[i], 1e-12, what + "[" + i + "]");
            }
        }
    }
}
