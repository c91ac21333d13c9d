package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.detcon.core.store.ObjectStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run on the embedded Flink mini-cluster: its dashboard, the live progress line (Flink's REST API), Flink's
 * Prometheus reporter with the images written counting up while the job runs, and the same shards as the
 * DirectRunner.
 */
class MaskPipelineFlinkTest {

    /** Noise images added to the fixtures, so that the job's stages last long enough to be watched. */
    private static final int EXTRA = 80;

    @TempDir
    Path tmp;


    @Test
    void embeddedFlinkServesTheDashboardReportsProgressAndWritesTheSameDataset() throws Exception {
        Path in = PipelineFixtures.imageFolder(tmp);
        Random rnd = new Random(3);
        for (int i = 0; i < EXTRA; i++) {
            BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 300; y++) {
                for (int x = 0; x < 400; x++) {
                    img.setRGB(x, y, rnd.nextInt(1 << 24));
                }
            }
            Files.createDirectories(in.resolve("extra"));
            ImageIO.write(img, "png", in.resolve("extra").resolve(String.format("noise%02d.png", i)).toFile());
        }
        int good = PipelineFixtures.GOOD + EXTRA;
        int all = good + PipelineFixtures.BAD.size();

        // the REST port comes from --flinkConfDir's config.yaml; one slot for three subtasks per stage, so the
        // shard writers run one after another
        int port = RunnerSetup.freePort();
        Path conf = Files.createDirectories(tmp.resolve("flink-conf"));
        // the REST API's counters refreshed and polled every 100 ms: the job computes its masks in about a second
        Files.writeString(conf.resolve("config.yaml"), "rest.port: " + port + "\ntaskmanager.numberOfTaskSlots: 1\n"
                + "metrics.fetcher.update-interval: 100\n");
        int prometheus = RunnerSetup.freePort();
        RunnerSetup.Prepared p = RunnerSetup.flink(RunnerSetup.parseArgs(List.of("--fasterCopy=true")), "[local]", 3,
                conf, List.of(), prometheus);
        ByteArrayOutputStream announced = new ByteArrayOutputStream();
        RunnerSetup.announce(p, new PrintStream(announced, true, StandardCharsets.UTF_8));
        assertEquals("Flink dashboard: http://localhost:" + port + "/\nPrometheus metrics: http://localhost:"
                + prometheus + "/metrics\n", announced.toString(StandardCharsets.UTF_8));

        AtomicReference<String> page = new AtomicReference<>();
        AtomicReference<String> overview = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = watch(done, () -> {
            if (overview.get() == null) {
                page.set(get(p.dashboardUrl()));
                overview.set(get(p.dashboardUrl() + "overview"));
            }
        });
        // Prometheus scrapes while the job runs: the images written, as the records entering
        // WriteShards/ImagesWritten (operator_name="WriteShards_ImagesWritten_ParMultiDo_CountWritten_"), per series
        // (one per subtask)
        Map<String, List<Long>> writtenSeries = new ConcurrentHashMap<>();
        Pattern write = Pattern.compile("(?m)^flink_taskmanager_job_task_operator_numRecordsIn\\{([^}]*operator_name"
                + "=\"WriteShards_ImagesWritten_[^}]*)} ([0-9.eE+-]+)$");
        Thread scraper = watch(done, () -> {
            Matcher m = write.matcher(get(p.metricsUrl()));
            while (m.find()) {
                List<Long> seen = writtenSeries.computeIfAbsent(m.group(1), k -> new CopyOnWriteArrayList<>());
                long v = Math.round(Double.parseDouble(m.group(2)));
                if (seen.isEmpty() || seen.get(seen.size() - 1) != v) {
                    seen.add(v);
                }
            }
        });

        String out = tmp.resolve("flink-out").toString();
        MaskPipelineConfig config = MaskPipelineConfig.images(in.toString(), MaskSetSpec.parseList("fh:50,grid:2"),
                out).withBuckets(good);
        List<MaskProgress> progress = new CopyOnWriteArrayList<>();
        MaskRunResult r = MaskPipeline.run(config, p.options(), progress::add, Duration.ofMillis(100));
        done.set(true);
        poller.join(5_000);
        scraper.join(5_000);
        System.out.println("progress: " + progress.stream().map(MaskProgress::format).toList());
        System.out.println("images written per subtask (WriteShards/ImagesWritten records in), successive scrapes: "
                + writtenSeries.values());
        System.out.println(r.format());

        assertTrue(r.countsAddUp());
        assertEquals(good, r.manifest().samples());
        assertEquals(PipelineFixtures.BAD.size(), r.manifest().rejected());
        assertTrue(r.manifest().verify(ObjectStores.open(out)).ok());
        assertEquals(good, r.metrics().counter("images_written"));
        assertTrue(page.get() != null && page.get().contains("Apache Flink Web Dashboard"),
                "dashboard page: " + page.get());
        assertTrue(overview.get().contains("\"flink-version\":\"1.19.3\""), overview.get());

        // live progress from the running job, then the final report
        assertTrue(progress.stream().anyMatch(x -> !x.finished() && x.total() == all && x.done() > 0),
                "live progress: " + progress);
        MaskProgress last = progress.get(progress.size() - 1);
        assertTrue(last.finished() && last.done() == all && last.written() == good
                && last.rejected() == PipelineFixtures.BAD.size(), last.format());
        // scrapes during the run saw the images written rise, up to all of them
        assertTrue(writtenSeries.values().stream().anyMatch(s -> s.size() >= 2 && s.get(s.size() - 1) > s.get(0)),
                "WriteShards/ImagesWritten in Prometheus: " + writtenSeries);
        assertTrue(writtenSeries.values().stream().mapToLong(s -> s.get(s.size() - 1)).sum() <= good);

        // the same shards as the DirectRunner writes
        String direct = tmp.resolve("direct-out").toString();
        MaskPipeline.run(MaskPipelineConfig.images(in.toString(), MaskSetSpec.parseList("fh:50,grid:2"), direct)
                .withBuckets(good), RunnerSetup.direct(1).options());
        var a = PipelineFixtures.files(Path.of(out));
        var b = PipelineFixtures.files(Path.of(direct));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            if (k.endsWith(".tar") || k.equals("_dead_letters.jsonl")) {
                assertTrue(java.util.Arrays.equals(a.get(k), b.get(k)), k);
            }
        }
    }

    /** A daemon thread running {@code step} every 10 ms until {@code done} (failures: tried again). */
    private static Thread watch(AtomicBoolean done, Step step) {
        Thread t = new Thread(() -> {
            long deadline = System.currentTimeMillis() + 300_000;
            while (!done.get() && System.currentTimeMillis() < deadline) {
                try {
                    step.run();
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
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
