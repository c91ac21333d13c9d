package org.detcon.eval.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.detcon.eval.data.Fixtures;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.metrics.depth.DepthAveraging;
import org.detcon.eval.metrics.depth.DepthMetrics;
import org.detcon.eval.metrics.depth.DepthRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture: 16-bit millimetre PNGs (gt, pred) and the same predictions as .npy metres; expected.json from numpy. */
class DepthMetricsJobTest {

    private static final Path BASE = Fixtures.path("depthjob");

    private static JsonNode expected() throws Exception {
        return new ObjectMapper().readTree(BASE.resolve("expected.json").toFile());
    }

    private static void check(JsonNode exp, DepthMetrics m) {
        Map<String, Double> actual = m.asMap();
        exp.fieldNames().forEachRemaining(k -> assertEquals(exp.get(k).asDouble(), actual.get(k),
                1e-12 * Math.max(1, Math.abs(exp.get(k).asDouble())), k));
    }

    @Test
    void pngDirectoriesMatchNumpyBothAveragings() throws Exception {
        JsonNode exp = expected();
        DepthMetricsReport r = DepthMetricsJob.run(BASE.resolve("gt"), BASE.resolve("pred"));
        assertEquals(DepthAveraging.PER_IMAGE_MEAN, r.evaluation().averaging());
        assertEquals(3, r.evaluation().images());
        assertEquals(exp.get("valid_pixels").asLong(), r.evaluation().validPixels());
        check(exp.get("per_image_mean"), r.metrics());

        var pooled = DepthMetricsJob.run(BASE.resolve("gt"), BASE.resolve("pred"),
                new DepthMetricsJob.Options(DepthRange.NYU, DepthAveraging.POOLED_PIXELS, true));
        check(exp.get("pooled_pixels"), pooled.metrics());

        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals("per_image_mean", json.get("averaging").asText());
        assertEquals(exp.get("per_image_mean").get("delta1").asDouble() * 100, json.get("percent").get("delta1").asDouble(),
                1e-9);
        String table = r.table();
        assertTrue(table.contains("delta<1.25") && table.contains("RMSE log") && table.contains("clamped"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.2f%%", r.metrics().delta1Percent())), table);
    }

    @Test
    void npyPredictionsGiveTheSameNumbers() throws Exception {
        DepthMetricsReport r = DepthMetricsJob.run(BASE.resolve("gt"), BASE.resolve("pred_npy"));
        check(expected().get("per_image_mean"), r.metrics());
    }

    @Test
    void withoutClampingAZeroPredictionIsAnErrorNamingTheFile() {
        var e = assertThrows(MalformedDataException.class, () -> DepthMetricsJob.run(BASE.resolve("gt"),
                BASE.resolve("pred"), new DepthMetricsJob.Options(DepthRange.NYU, DepthAveraging.PER_IMAGE_MEAN, false)));
        assertEquals(BASE.resolve("pred/0001.png"), e.file());
        assertEquals("predicted depth", e.field());
    }

    @Test
    void unpairedAndMalformedFiles(@TempDir Path tmp) throws Exception {
        Path base = Fixtures.copy("depthjob", tmp.resolve("d"));
        Files.delete(base.resolve("pred/0003.png"));
        var e = assertThrows(MalformedDataException.class,
                () -> DepthMetricsJob.run(base.resolve("gt"), base.resolve("pred")));
        assertTrue(e.getMessage().contains("0003.png"), e.getMessage());

        Fixtures.writeGray8(base.resolve("pred/0003.png"), 6, 5, 7);
        e = assertThrows(MalformedDataException.class, () -> DepthMetricsJob.run(base.resolve("gt"), base.resolve("pred")));
        assertEquals(base.resolve("pred/0003.png"), e.file());
        assertEquals("depth bit depth", e.field());

        Files.write(base.resolve("pred_npy/0001.npy"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        e = assertThrows(MalformedDataException.class,
                () -> DepthMetricsJob.run(base.resolve("gt"), base.resolve("pred_npy")));
        assertEquals(base.resolve("pred_npy/0001.npy"), e.file());
    }
}
