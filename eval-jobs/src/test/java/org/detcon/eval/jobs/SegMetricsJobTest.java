package org.detcon.eval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.eval.data.Fixtures;
import org.detcon.eval.data.MalformedDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture: gt a.png palette, b.png 8-bit gray, c.png 16-bit gray; expected.json from numpy. */
class SegMetricsJobTest {

    @Test
    void matchesNumpyExpectedAndRenders() throws Exception {
        Path base = Fixtures.path("segjob");
        JsonNode exp = new ObjectMapper().readTree(base.resolve("expected.json").toFile());
        SegMetricsReport r = SegMetricsJob.run(base.resolve("gt"), base.resolve("pred"), 5, 255);
        assertEquals(3, r.images());
        assertEquals(exp.get("evaluated_pixels").asLong(), r.metrics().evaluatedPixels());
        assertEquals(exp.get("miou").asDouble(), r.metrics().meanIou(), 1e-12);
        assertEquals(exp.get("pixel_accuracy").asDouble(), r.metrics().pixelAccuracy(), 1e-12);
        assertEquals(exp.get("mean_class_accuracy").asDouble(), r.metrics().meanClassAccuracy(), 1e-12);
        for (int c = 0; c < 5; c++) {
            assertEquals(exp.get("iou").get(c).asDouble(), r.metrics().iou(c), 1e-12, "class " + c);
        }
        assertEquals(0.0, r.metrics().iou(4), 0); // predicted once, never in gt

        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(exp.get("miou").asDouble(), json.get("miou").asDouble(), 1e-12);
        assertEquals(5, json.get("classes").size());
        assertTrue(json.get("classes").get(4).get("accuracy").isNull());
        assertEquals("class_4", json.get("classes").get(4).get("name").asText());

        String table = r.table();
        assertTrue(table.contains("mIoU"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * exp.get("miou").asDouble())), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("class_4") && l.contains("n/a")), table);
    }

    @Test
    void classNamesAndAbsentClasses() {
        Path base = Fixtures.path("segjob");
        var names = List.of("bg", "a", "b", "c", "d", "e");
        SegMetricsReport r = SegMetricsJob.run(base.resolve("gt"), base.resolve("pred"), 6, 255, names);
        assertTrue(Double.isNaN(r.metrics().iou(5)));
        assertTrue(r.table().lines().anyMatch(l -> l.startsWith("e ") && l.contains("n/a")), r.table());
        assertThrows(IllegalArgumentException.class,
                () -> SegMetricsJob.run(base.resolve("gt"), base.resolve("pred"), 5, 255, names));
    }

    @Test
    void missingExtraAndMismatchedFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path base = Fixtures.copy("segjob", tmp.resolve("segjob"));
        Path gt = base.resolve("gt");
        Path pred = base.resolve("pred");

        Files.move(pred.resolve("b.png"), tmp.resolve("b.png"));
        var e = assertThrows(MalformedDataException.class, () -> SegMetricsJob.run(gt, pred, 5, 255));
        assertTrue(e.getMessage().contains("no prediction: b.png"), e.getMessage());

        Files.move(tmp.resolve("b.png"), pred.resolve("b.png"));
        Fixtures.writeGray8(pred.resolve("z.png"), 3, 3, 0);
        e = assertThrows(MalformedDataException.class, () -> SegMetricsJob.run(gt, pred, 5, 255));
        assertTrue(e.getMessage().contains("no ground truth") && e.getMessage().contains("z.png"), e.getMessage());

        Files.delete(pred.resolve("z.png"));
        Fixtures.writeGray8(pred.resolve("b.png"), 3, 3, 0);
        e = assertThrows(MalformedDataException.class, () -> SegMetricsJob.run(gt, pred, 5, 255));
        assertEquals(pred.resolve("b.png"), e.file());
        assertEquals("prediction size", e.field());

        Fixtures.writeGray8(pred.resolve("b.png"), 7, 5, 9);
        e = assertThrows(MalformedDataException.class, () -> SegMetricsJob.run(gt, pred, 5, 255));
        assertEquals(pred.resolve("b.png"), e.file());
        assertEquals("predicted label", e.field());

        // gt value outside the classes: 4 classes declared, gt holds class 3 < 4 but pred holds 4
        e = assertThrows(MalformedDataException.class, () -> SegMetricsJob.run(gt, pred, 3, 255));
        assertTrue(e.file().startsWith(gt), e.getMessage());
        assertEquals("label value", e.field());
    }
}
