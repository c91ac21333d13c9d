package org.detcon.orchestration.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.trainer.train.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart path end to end at test size (12 training images of 64 px, 2 pretraining steps of batch 4 per
 * method, checkpoints 0/1/2): data, Beam masks on the embedded Flink runner, DetCon_B and BYOL pretraining, probes,
 * report. The first attempt is interrupted mid-pretraining; the second continues from the last checkpoint (the
 * finished steps reused); a third reuses every step.
 */
class QuickstartTest {

    @TempDir
    Path work;

    @Test
    void tinyQuickstartRunsThenIsReused() throws Exception {
        QuickstartConfig cfg = QuickstartConfig.tiny(work, System.getProperty("quickstart.runner", "flink"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // interrupted in the middle of DetCon_B's last segment (after its step 2, before the checkpoint)
        assertThrows(IllegalStateException.class,
                () -> new Quickstart(cfg, new Tee(out, System.out)).interruptAt(Method.DETCON_B, 2).run());
        // run again: continues where it stopped
        Quickstart.Outcome first = new Quickstart(cfg, new Tee(out, System.out)).run();
        String log = buf.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("reused pretrain/detcon_b/step-1"), "finished segments are reused");
        try (RunStore s = RunStore.openIn(work)) {
            List<RunStore.Run> runs = s.runs();
            assertEquals("FAILED", runs.get(0).status());
            RunStore.StepRecord resumed = s.steps(runs.get(1).id()).stream()
                    .filter(x -> x.name().equals("pretrain/detcon_b/step-2")).findFirst().orElseThrow();
            assertEquals("DONE", resumed.status());
            assertEquals(2, resumed.attempt());
            assertEquals(1.0, resumed.metrics().get("steps_run"), "resumed from the step-1 checkpoint");
        }
        assertTrue(Files.isRegularFile(first.report()));
        String html = Files.readString(first.report());
        assertTrue(html.contains("<svg") && html.contains("DetCon_B") && html.contains("BYOL"));
        assertTrue(!html.contains("http://") || !html.matches("(?s).*(src|href)=\"http.*"), "no external assets");
        assertTrue(Files.isRegularFile(first.report().resolveSibling("report.md")));
        assertEquals(2 * 3, first.points().size());
        for (var p : first.points()) {
            assertTrue(p.miou() >= 0 && p.miou() <= 1 && p.delta1() >= 0 && p.delta1() <= 1, p.toString());
        }
        assertTrue(first.stepsReused() >= 4, "data, masks, detcon_b steps 0-1 and their evals");
        if (cfg.runner().equals("flink")) {
            assertTrue(log.contains("Flink dashboard: http://localhost:"), log);
        }
        assertTrue(log.contains("report: "));

        buf.reset();
        Quickstart.Outcome second = new Quickstart(cfg, new Tee(out, System.out)).run();
        assertEquals(0, second.stepsRun(), "everything reused");
        assertEquals(first.stepsRun() + first.stepsReused(), second.stepsReused());
        assertEquals(first.points(), second.points());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("reused pretrain/detcon_b/step-2"));
        try (RunStore s = RunStore.openIn(work)) {
            List<RunStore.Run> runs = s.runs();
            assertEquals(3, runs.size());
            assertTrue(s.steps(runs.get(2).id()).stream().allMatch(x -> x.status().equals("REUSED")));
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
