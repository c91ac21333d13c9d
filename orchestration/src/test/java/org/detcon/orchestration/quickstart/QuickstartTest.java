package org.detcon.orchestration.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.orchestration.runs.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart path end to end at test size (12 training images of 64 px, 2 pretraining steps of batch 4 per
 * method, checkpoints 0/1/2): data, Beam masks on the embedded Flink runner, DetCon_B and BYOL pretraining, probes,
 * report; then a second run that reuses every step.
 */
class QuickstartTest {

    @TempDir
    Path work;

    @Test
    void tinyQuickstartRunsThenIsReused() throws Exception {
        QuickstartConfig cfg = QuickstartConfig.tiny(work, System.getProperty("quickstart.runner", "flink"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Quickstart.Outcome first = new Quickstart(cfg, new Tee(out, System.out)).run();
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(Files.isRegularFile(first.report()));
        String html = Files.readString(first.report());
        assertTrue(html.contains("<svg") && html.contains("DetCon_B") && html.contains("BYOL"));
        assertTrue(!html.contains("http://") || !html.matches("(?s).*(src|href)=\"http.*"), "no external assets");
        assertTrue(Files.isRegularFile(first.report().resolveSibling("report.md")));
        assertEquals(2 * 3, first.points().size());
        for (var p : first.points()) {
            assertTrue(p.miou() >= 0 && p.miou() <= 1 && p.delta1() >= 0 && p.delta1() <= 1, p.toString());
        }
        assertEquals(0, first.stepsReused());
        if (cfg.runner().equals("flink")) {
            assertTrue(log.contains("Flink dashboard: http://localhost:"), log);
        }
        assertTrue(log.contains("report: "));

        buf.reset();
        Quickstart.Outcome second = new Quickstart(cfg, new Tee(out, System.out)).run();
        assertEquals(0, second.stepsRun(), "everything reused");
        assertEquals(first.stepsRun(), second.stepsReused());
        assertEquals(first.points(), second.points());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("reused pretrain/detcon_b/step-2"));
        try (RunStore s = RunStore.openIn(work)) {
            List<RunStore.Run> runs = s.runs();
            assertEquals(2, runs.size());
            assertTrue(s.steps(runs.get(1).id()).stream().allMatch(x -> x.status().equals("REUSED")));
        }
    }

    /** Writes to two streams. */
    static final class Tee extends PrintStream {
        private final PrintStream b;

        Tee(PrintStream a, PrintStream b) {
            super(a, true, StandardCharsets.UTF_8);
            this.b = b;
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            super.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() {
            super.flush();
            b.flush();
        }
    }
}
