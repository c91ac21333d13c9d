package org.detcon.eval.coco.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.detcon.core.coco.CocoReader;
import org.detcon.core.coco.CocoResultsReader;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.EvalResult;
import org.detcon.eval.coco.eval.NumpyCompat;
import org.detcon.eval.coco.eval.IouType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares with numbers produced by pycocotools 2.0 ({@code cocoapi} master, numpy 1.24) on the committed fixtures
 * in {@code src/test/resources/coco} (see the README there): all 12 stats, per-category AP and the printed summary.
 */
class CocoGoldenTest {

    /**
     * The port reproduces numpy's arithmetic (incl. np.mean's blocked pairwise summation), so the numbers are
     * bit-identical: no tolerance. ({@code bbox-manycats} fails by 1 ulp if the 8192-block summation is dropped.)
     */
    private static final double TOL = 0.0;

    private static Path resource(String name) {
        try {
            return Path.of(CocoGoldenTest.class.getResource("/coco/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    List<DynamicTest> matchesPycocotools() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(resource("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : cases.properties()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
        }
        return tests;
    }

    private static void check(String name, JsonNode c) throws IOException {
        IouType type = IouType.parse(c.get("iou_type").asText());
        Path gt = resource(c.get("gt").asText());
        Path dt = resource(c.get("dt").asText());
        boolean useCats = c.get("use_cats").asBoolean();
        for (int threads : new int[] {1, 3}) {
            CocoMetricsResult r = useCats ? CocoMetricsJob.run(gt, dt, type, threads)
                    : CocoMetricsJob.run(CocoReader.read(gt), CocoResultsReader.read(dt), type,
                            EvalParams.defaults(type).withUseCats(false), threads);
            double[] stats = r.stats();
            JsonNode exp = c.get("stats");
            assertEquals(12, exp.size());
            for (int i = 0; i < 12; i++) {
                assertEquals(exp.get(i).asDouble(), stats[i], TOL, name + " stats[" + i + "]");
            }
            double[] ap = r.summary().perCategoryAp();
            long[] cats = r.summary().result().catIds();
            JsonNode per = c.get("per_category");
            assertEquals(per.size(), cats.length, name + " category count");
            for (int k = 0; k < cats.length; k++) {
                JsonNode v = per.get(Long.toString(cats[k]));
                assertEquals(v.asDouble(), ap[k], TOL, name + " AP of category " + cats[k]);
            }
            assertEquals(c.get("summary").asText(), r.summaryText(), name + " summary text");
            // every (area, maxDets) slice of precision and recall, not only the 12 the summary reads
            EvalResult er = r.summary().result();
            int[] n = er.counts();
            for (int a = 0; a < n[3]; a++) {
                for (int m = 0; m < n[4]; m++) {
                    double[] buf = new double[n[0] * n[1] * n[2]];
                    int cnt = 0;
                    for (int t = 0; t < n[0]; t++) {
                        for (int q = 0; q < n[1]; q++) {
                            for (int k = 0; k < n[2]; k++) {
                                double v = er.precision(t, q, k, a, m);
                                if (v > -1) {
                                    buf[cnt++] = v;
                                }
                            }
                        }
                    }
                    assertEquals(c.get("ap_by_area_maxdet").get(a * n[4] + m).asDouble(),
                            cnt == 0 ? -1 : NumpyCompat.mean(buf, cnt), TOL, name + " AP slice a=" + a + " m=" + m);
                    cnt = 0;
                    for (int t = 0; t < n[0]; t++) {
                        for (int k = 0; k < n[2]; k++) {
                            double v = er.recall(t, k, a, m);
                            if (v > -1) {
                                buf[cnt++] = v;
                            }
                        }
                    }
                    assertEquals(c.get("ar_by_area_maxdet").get(a * n[4] + m).asDouble(),
                            cnt == 0 ? -1 : NumpyCompat.mean(buf, cnt), TOL, name + " AR slice a=" + a + " m=" + m);
                }
            }
        }
    }
}
