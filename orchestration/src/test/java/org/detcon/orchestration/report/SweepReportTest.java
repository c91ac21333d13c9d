package org.detcon.orchestration.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.detcon.orchestration.sweep.Planner;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {

    @TempDir
    Path dir;

    static final String SWEEP = """
            name: words
            base: {method: detcon_b, backbone: {depth: 18}, image_size: 64, batch_size: 4, steps: 10,
                   masks: {set: fh-s100}, output: {uri: x}}
            seeds: [0, 1, 2]
            grid: {method: [detcon_b, byol]}
            data: {synth: {images: 12, val_images: 4, size: 64}}
            masks: {sets: ["fh:100"], runner: direct}
            evals: [probe]
            eval_at_steps: [0]
            report: {rows: [method], columns: [probe.miou, probe.abs_rel, probe.delta1]}
            """;

    @Test
    void seedStats() {
        SeedStats s = SeedStats.of(List.of(1.0, 2.0, 4.0));
        assertEquals(3, s.n());
        assertEquals(7.0 / 3, s.mean(), 1e-12);
        assertEquals(Math.sqrt(((1 - 7.0 / 3) * (1 - 7.0 / 3) + (2 - 7.0 / 3) * (2 - 7.0 / 3)
                + (4 - 7.0 / 3) * (4 - 7.0 / 3)) / 2), s.std(), 1e-12);
        assertEquals(1.0, s.min());
        assertEquals(4.0, s.max());
        assertEquals(0.0, SeedStats.of(List.of(5.0)).std());
    }

    @Test
    void aDifferenceInsideTheSeedSpreadIsNotAWin() {
        SeedStats a = SeedStats.of(List.of(0.30, 0.32));
        SeedStats b = SeedStats.of(List.of(0.28, 0.31));
        assertFalse(Comparison.ahead(a, b, true), "0.30 < 0.31: overlapping");
        assertTrue(Comparison.ahead(a, SeedStats.of(List.of(0.25, 0.29)), true));
        assertFalse(Comparison.ahead(SeedStats.of(List.of(0.9)), SeedStats.of(List.of(0.1)), true), "n = 1");
        assertTrue(Comparison.ahead(SeedStats.of(List.of(0.2, 0.3)), SeedStats.of(List.of(0.4, 0.5)), false),
                "lower is better");
        String s = Comparison.sentence("m", "A", a, "B", b, true, v -> String.format("%.2f", v));
        assertTrue(s.contains("no clear difference between A and B") && s.contains("0.30 to 0.32"), s);
    }

    private static SweepResults.StepState done(Map<String, Double> metrics) {
        return new SweepResults.StepState("done", null, 1, 1.0, "k", Map.of(), metrics);
    }

    @Test
    void reportTablesFindingsPlotsAndCsv() throws Exception {
        Path f = dir.resolve("words.yaml");
        Files.writeString(f, SWEEP);
        SweepPlan plan = Planner.plan(SweepFileReader.read(f), dir.resolve("w"), List.of());
        // DetCon_B's worst seed beats BYOL's best on mIoU; delta1 overlaps; BYOL's seed 2 is not evaluated yet
        double[][] miou = {{0.40, 0.42, 0.41}, {0.30, 0.33, Double.NaN}};
        double[][] delta = {{0.50, 0.55, 0.52}, {0.53, 0.51, Double.NaN}};
        List<SweepResults.CellResult> cells = new ArrayList<>();
        for (int i = 0; i < plan.cells().size(); i++) {
            var c = plan.cells().get(i);
            int row = c.axes().get("method").asText().equals("detcon_b") ? 0 : 1;
            int seed = (int) c.seed();
            List<SweepResults.EvalState> evals = new ArrayList<>();
            for (SweepPlan.EvalTarget t : plan.evalsOf(c)) {
                long step = t.step() == SweepPlan.FINAL ? 10 : t.step();
                double m = step == 0 ? 0.1 : miou[row][seed];
                SweepResults.StepState st = Double.isNaN(m) ? new SweepResults.StepState("pending", null, 0, Double.NaN, null, Map.of(), Map.of())
                        : done(Map.of("miou", m, "delta1", step == 0 ? 0.2 : delta[row][seed], "abs_rel", 0.5,
                                "pixel_accuracy", 0.6, "rmse", 1.0));
                evals.add(new SweepResults.EvalState(t, step, st));
            }
            cells.add(new SweepResults.CellResult(c, done(Map.of("steps", 10.0)), evals, 10,
                    List.of(new double[] {1, 3.0}, new double[] {10, 2.0})));
        }
        SweepResults r = new SweepResults(plan, done(Map.of()), done(Map.of()), cells);
        SweepReport.Written w = SweepReport.write(r, dir.resolve("report"));
        String md = Files.readString(w.markdown());
        String html = Files.readString(w.html());
        String csv = Files.readString(w.csv());
        assertTrue(w.findings().stream().anyMatch(x -> x.startsWith("probe.miou: DetCon_B ahead of BYOL")),
                w.findings().toString());
        assertTrue(w.findings().stream().anyMatch(x -> x.startsWith("probe.delta1: no clear difference between")),
                w.findings().toString());
        assertTrue(md.contains("| DetCon_B | **41.0 ± 1.0 (n=3)**"), md);
        assertTrue(md.contains("31.5 ± 2.1 (n=2); 1 seed(s) pending"), md);
        assertTrue(md.contains("Numbers from: "), md);
        assertTrue(html.contains("<svg") && html.contains("pretraining loss"), "plots");
        assertFalse(Pattern.compile("(src|href)=\"").matcher(html).find(), "no external assets");
        assertFalse(html.contains("<script"));
        assertTrue(csv.startsWith("sweep,cell,method,seed,step,task,metric,value\n"), csv);
        assertTrue(csv.contains(",detcon_b,0,10,probe,miou,0.4\n"), csv);
        assertTrue(csv.contains(",detcon_b,0,10,pretrain,loss,2\n"), csv);
    }
}
