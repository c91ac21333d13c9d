package org.detcon.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.cli.CliRunner;
import org.detcon.trainer.engine.NativeCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code detcon service start --devices} errors, and what {@code logs -f} shows of a followed job. */
class ServiceCliTest {

    /** metrics.jsonl lines as a 4-step BYOL job (batch 4) writes them. */
    private static final List<String> METRICS = List.of(
            "{\"step\":0,\"epoch\":0,\"loss\":3.9812,\"lr\":0.1,\"ema_tau\":0.99,\"img_per_s\":2.0,\"data_wait\":0.5,"
                    + "\"bad_samples\":0,\"bad_shards\":0}",
            "{\"step\":1,\"epoch\":0,\"loss\":3.5,\"lr\":0.1,\"img_per_s\":4.0,\"data_wait\":0.25,\"bad_samples\":0,"
                    + "\"bad_shards\":0}",
            "{\"step\":2,\"epoch\":1,\"loss\":3.25,\"lr\":0.05,\"img_per_s\":4.0,\"data_wait\":0.0,\"bad_samples\":0,"
                    + "\"bad_shards\":0}",
            "{\"step\":3,\"epoch\":1,\"loss\":3.0,\"lr\":0.0,\"img_per_s\":8.0,\"data_wait\":0.0,\"bad_samples\":0,"
                    + "\"bad_shards\":0}");

    @Test
    void startWithGpusOnAHostWithoutCudaIsOneLineSayingWhatToInstall(@TempDir Path dir) {
        CliRunner r = CliRunner.run("service", "start", "--state-dir", dir.resolve("state").toString(), "--port", "0",
                "--devices", "gpu");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("--devices gpu: "), r.err());
        assertTrue(lines.get(0).contains(NativeCheck.GPU_ROUTE), r.err());
        assertFalse(Files.exists(dir.resolve("state")));
        CliRunner bad = CliRunner.run("service", "start", "--state-dir", dir.resolve("state").toString(),
                "--devices", "tpu");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--devices: 'tpu' is not a device"), bad.err());
    }

    @Test
    void aFollowedPretrainingShowsTheLocalProgressLineThenItsStatus() {
        StringWriter text = new StringWriter();
        long[] asked = {0};
        FollowView v = new FollowView(new PrintWriter(text), 4, () -> ++asked[0] == 1 ? 0 : 4);
        v.logLine("== attempt 1 on cpu:0 (--device cpu) at 2026-12-03T19:00:00Z, pid 42");
        v.logLine("training steps 0..4 of 4 into file:/out/a/");
        for (String m : METRICS) {
            v.metricsLine(m);
        }
        v.metricsLine("not json");
        v.logLine("trained steps 0..4 in 3.0 s: loss 3.9812 -> 3.0000; output /out/a");
        assertEquals(0, v.end(7, "SUCCEEDED", null));
        String out = text.toString();
        // the same line as a local run's ProgressDisplay: step 1 drawn at once, the last step always
        assertTrue(out.contains("\rstep 1/1 [########################] 100% loss 3.9812 2.0 img/s 2.00 s/step wait 50%"
                + " ETA 0:00:00"), "total unknown at the first line: " + out);
        assertTrue(out.contains("\rstep 4/4 [########################] 100% loss 3.0000 8.0 img/s 0.50 s/step wait 0%"
                + " ETA 0:00:00"), out);
        assertEquals(2, asked[0], "the total is asked again until known");
        assertTrue(out.indexOf("training steps 0..4") < out.indexOf("step 4/4"), out);
        assertTrue(out.contains("\rtrained steps 0..4 in 3.0 s"), out);
        assertTrue(out.endsWith("job 7 SUCCEEDED" + System.lineSeparator()), out);
    }

    @Test
    void aFailedOrCancelledJobEndsWithItsStatusAndExitStatus1() {
        StringWriter text = new StringWriter();
        FollowView v = new FollowView(new PrintWriter(text), 4, () -> 4);
        v.metricsLine(METRICS.get(0));
        assertEquals(1, v.end(8, "FAILED", "data.uri /x: no _manifest.json"));
        assertTrue(text.toString().contains("\rstep 1/4 [######..................]  25% loss 3.9812"), text.toString());
        assertTrue(text.toString().endsWith("\njob 8 FAILED: data.uri /x: no _manifest.json"
                + System.lineSeparator()), text.toString());
        assertEquals(1, new FollowView(new PrintWriter(new StringWriter()), 4, () -> 4).end(9, "CANCELLED", null));
        StringWriter lost = new StringWriter();
        assertEquals(1, new FollowView(new PrintWriter(lost), 4, () -> 4).end(9, null, null));
        assertTrue(lost.toString().contains("connection closed before the job ended"), lost.toString());
    }
}
