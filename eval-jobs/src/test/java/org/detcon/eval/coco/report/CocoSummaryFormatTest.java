package org.detcon.eval.coco.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.detcon.eval.coco.data.EvalDataset;
import org.detcon.eval.coco.data.MaskApiIou;
import org.detcon.eval.coco.eval.CocoEvaluator;
import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.IouType;
import org.junit.jupiter.api.Test;

class CocoSummaryFormatTest {

    @Test
    void fixedPointFormattingIsPythons() {
        // Python: '{:0.3f}'.format(x) rounds the exact binary value, ties to even
        assertEquals("0.001", CocoSummaryFormat.pyFixed(0.0005, 3)); // 0.0005 is slightly above in binary
        assertEquals("0.062", CocoSummaryFormat.pyFixed(0.0625, 3)); // exact tie -> even
        assertEquals("2.67", CocoSummaryFormat.pyFixed(2.675, 2));   // 2.675 is slightly below in binary
        assertEquals("-1.000", CocoSummaryFormat.pyFixed(-1, 3));
        assertEquals("0.95", CocoSummaryFormat.pyFixed(0.95, 2));
        assertEquals("0.90", CocoSummaryFormat.pyFixed(0.8999999999999999, 2));
        assertEquals("1.000", CocoSummaryFormat.pyFixed(0.9999999999999998, 3));
    }

    private static CocoSummary summary(EvalDataset d) {
        return CocoSummary.of(CocoEvaluator.evaluate(d, EvalParams.defaults(IouType.BBOX), MaskApiIou.boxes(d)));
    }

    @Test
    void textHasTwelvePycocotoolsLines() {
        EvalDataset d = EvalDataset.builder().image(1, 10, 10).category(1, "a")
                .gt(1, 1, 1, 0, 0, 5, 5, 25, false).boxResult(1, 1, 0.5, 0, 0, 5, 5).build();
        String[] lines = CocoSummaryFormat.text(summary(d)).split("\n");
        assertEquals(12, lines.length);
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000", lines[0]);
        assertEquals(" Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 1.000", lines[2]);
        assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000", lines[4]);
        assertEquals(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000", lines[6]);
        assertEquals(" Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 1.000", lines[9]);
    }

    @Test
    void jsonCarriesFullPrecisionStatsAndNamedCategories() throws Exception {
        EvalDataset d = EvalDataset.builder().image(1, 100, 100).category(1, "cat").category(3, "dog")
                .gt(1, 1, 1, 0, 0, 50, 50, 2500, false).gt(1, 3, 2, 60, 60, 30, 30, 900, false)
                .boxResult(1, 1, 0.9, 0, 0, 50, 50).boxResult(1, 3, 0.8, 0, 0, 10, 10)
                .boxResult(1, 3, 0.7, 61, 60, 30, 30).build();
        CocoSummary s = summary(d);
        JsonNode j = new ObjectMapper().readTree(CocoSummaryFormat.json(s, Map.of(1L, "cat", 3L, "dog")));
        assertEquals("bbox", j.get("iou_type").asText());
        double[] stats = new double[12];
        for (int i = 0; i < 12; i++) {
            stats[i] = j.get("stats").get(i).asDouble();
        }
        assertArrayEquals(s.stats(), stats, 0.0);
        assertEquals(s.perCategoryAp()[0], j.get("per_category").get("cat").asDouble(), 0.0);
        assertEquals(s.perCategoryAp()[1], j.get("per_category").get("dog").asDouble(), 0.0);
        // duplicate names: every key falls back to the id
        JsonNode k = new ObjectMapper().readTree(CocoSummaryFormat.json(s, Map.of(1L, "x", 3L, "x")));
        assertTrue(k.get("per_category").has("1") && k.get("per_category").has("3"));
    }
}
