package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.detcon.core.store.ObjectStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One small run on the embedded Flink mini-cluster, with its dashboard. */
class MaskPipelineFlinkTest {

    @TempDir
    Path tmp;

    @Test
    void embeddedFlinkServesTheDashboardAndWritesTheSameDataset() throws Exception {
        Path in = PipelineFixtures.imageFolder(tmp);
        // the REST port comes from --flinkConfDir's config.yaml
        int port = RunnerSetup.freePort();
        Path conf = Files.createDirectories(tmp.resolve("flink-conf"));
        Files.writeString(conf.resolve("config.yaml"), "rest.port: " + port + "\n");
        RunnerSetup.Prepared p = RunnerSetup.flink("[local]", 2, conf, List.of());
        ByteArrayOutputStream announced = new ByteArrayOutputStream();
        RunnerSetup.announce(p, new PrintStream(announced, true, StandardCharsets.UTF_8));
        assertEquals("Flink dashboard: http://localhost:" + port + "/\n", announced.toString(StandardCharsets.UTF_8));

        // poll the dashboard while the job runs
        AtomicReference<String> page = new AtomicReference<>();
        AtomicReference<String> overview = new AtomicReference<>();
        java.util.Set<String> beamMetrics = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread poller = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 120_000;
            java.util.regex.Pattern jid = java.util.regex.Pattern.compile("\"jid\":\"([0-9a-f]+)\"");
            java.util.regex.Pattern metric = java.util.regex.Pattern.compile("(detcon\\.masks[^\"]{0,40})");
            while (System.currentTimeMillis() < deadline && !done.get()) {
                try {
                    if (overview.get() == null) {
                        page.set(get(p.dashboardUrl()));
                        overview.set(get(p.dashboardUrl() + "overview"));
                    }
                    // Beam's metrics reach Flink as accumulators (the job's Accumulators tab), while the job runs
                    var jm = jid.matcher(get(p.dashboardUrl() + "jobs/overview"));
                    while (jm.find()) {
                        String acc = get(p.dashboardUrl() + "jobs/" + jm.group(1) + "/accumulators");
                        var mm = metric.matcher(acc);
                        while (mm.find()) {
                            beamMetrics.add(mm.group(1));
                        }
                    }
                    Thread.sleep(50);
                } catch (Exception e) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        poller.setDaemon(true);
        poller.start();

        String out = tmp.resolve("flink-out").toString();
        MaskPipelineConfig config = MaskPipelineConfig.images(in.toString(), MaskSetSpec.parseList("fh:50,grid:2"),
                out).withBuckets(3);
        MaskRunResult r = MaskPipeline.run(config, p.options());
        done.set(true);
        poller.join(5_000);
        System.out.println("Beam metrics namespaces in the job accumulators (REST, while running; informational): "
                + beamMetrics);
        System.out.println(r.format());

        assertTrue(r.countsAddUp());
        assertEquals(PipelineFixtures.GOOD, r.manifest().samples());
        assertEquals(PipelineFixtures.BAD.size(), r.manifest().rejected());
        assertTrue(r.manifest().verify(ObjectStores.open(out)).ok());
        assertEquals(PipelineFixtures.GOOD, r.metrics().counter("images_written"));
        assertTrue(page.get() != null && page.get().contains("Apache Flink Web Dashboard"),
                "dashboard page: " + page.get());
        assertTrue(overview.get().contains("\"flink-version\":\"1.19.3\""), overview.get());

        // the same shards as the DirectRunner writes
        String direct = tmp.resolve("direct-out").toString();
        MaskPipeline.run(MaskPipelineConfig.images(in.toString(), MaskSetSpec.parseList("fh:50,grid:2"), direct)
                .withBuckets(3), RunnerSetup.direct(1).options());
        var a = PipelineFixtures.files(Path.of(out));
        var b = PipelineFixtures.files(Path.of(direct));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            if (k.endsWith(".tar") || k.equals("_dead_letters.jsonl")) {
                assertTrue(java.util.Arrays.equals(a.get(k), b.get(k)), k);
            }
        }
    }

    private static String get(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        try {
            if (c.getResponseCode() != 200) {
                throw new IllegalStateException("HTTP " + c.getResponseCode());
            }
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
