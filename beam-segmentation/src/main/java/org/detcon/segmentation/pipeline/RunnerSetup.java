package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Pipeline options for the runners {@code detcon masks run} offers.
 *
 * <ul>
 *   <li>{@code direct}: Beam's DirectRunner (tests, small jobs).</li>
 *   <li>{@code flink} with master {@code [local]} (default): an in-process Flink mini-cluster. With
 *       {@code flink-runtime-web} on the classpath its REST endpoint serves the real Flink dashboard; the port is
 *       {@code rest.port} from {@code <flinkConfDir>/config.yaml} when set there, otherwise a free port chosen here
 *       (written into a generated configuration directory, so the URL is known before the job starts).</li>
 *   <li>{@code flink} with master {@code HOST:PORT}: submission to a Flink session cluster (its REST port,
 *       usually 8081); the shaded job jar ({@code detcon-beam-segmentation-*-job.jar}, built with
 *       {@code -Pjob-jar}) is staged to the cluster. Paths in the job are read on the TaskManagers: give
 *       absolute paths or object-store URIs there.</li>
 * </ul>
 * Jobs run on Flink's DataStream API in BATCH mode and restart up to {@link #RESTART_ATTEMPTS} times (fixed delay
 * {@link #RESTART_DELAY_MS} ms): a lost TaskManager does not fail the run, and the shard writes are idempotent.
 */
public final class RunnerSetup {

    /** Job restarts after a failure (unless the configuration directory sets a restart strategy). */
    public static final int RESTART_ATTEMPTS = 3;
    /** Delay before a restart. */
    public static final long RESTART_DELAY_MS = 2000;

    private static final Pattern REST_PORT = Pattern.compile("(?m)^\\s*rest\\.port\\s*:\\s*['\"]?(\\d+)['\"]?\\s*$");

    /** Options plus, for the embedded Flink runner, the dashboard URL. */
    public record Prepared(PipelineOptions options, String dashboardUrl) {
    }

    private RunnerSetup() {
    }

    /** DirectRunner options; {@code parallelism} <= 0 means the number of cores. */
    public static Prepared direct(int parallelism) {
        DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
        o.setRunner(DirectRunner.class);
        if (parallelism > 0) {
            o.setTargetParallelism(parallelism);
        }
        o.setBlockOnRun(true);
        return new Prepared(o, null);
    }

    /**
     * Flink runner options.
     *
     * @param master       {@code [local]} (or null) for the embedded mini-cluster, else {@code HOST:PORT}
     * @param parallelism  task parallelism (<= 0: Flink's default)
     * @param flinkConfDir a directory holding {@code config.yaml} (may be null)
     * @param jobJars      jars to stage to a session cluster (ignored for [local])
     */
    public static Prepared flink(String master, int parallelism, Path flinkConfDir, List<String> jobJars)
            throws IOException {
        FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
        o.setRunner(FlinkRunner.class);
        String m = master == null || master.isBlank() ? "[local]" : master.trim();
        o.setFlinkMaster(m);
        if (parallelism > 0) {
            o.setParallelism(parallelism);
        }
        o.setJobName("detcon-masks");
        // Flink's DataStream API in BATCH mode (Beam's DataSet translation ignores retry settings, and DataSet is
        // deprecated in Flink): a failed task or a lost TaskManager restarts the affected region
        o.setUseDataStreamForBatch(true);
        o.setNumberOfExecutionRetries(RESTART_ATTEMPTS);
        o.setExecutionRetryDelay(RESTART_DELAY_MS);
        String yaml = "";
        if (flinkConfDir != null) {
            Path f = flinkConfDir.resolve("config.yaml");
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("--flinkConfDir " + flinkConfDir + " has no config.yaml");
            }
            yaml = Files.readString(f, StandardCharsets.UTF_8);
        }
        StringBuilder extra = new StringBuilder();
        String url;
        if (m.equals("[local]")) {
            Integer port = restPort(yaml);
            if (port == null) {
                port = freePort();
                extra.append("rest.port: ").append(port).append('\n');
            }
            url = "http://localhost:" + port + "/";
        } else {
            if (!m.matches("[^:/\\s]+:\\d+")) {
                throw new IllegalArgumentException("--flink-master must be [local] or HOST:PORT, got '" + m + "'");
            }
            if (jobJars == null || jobJars.isEmpty()) {
                throw new IllegalArgumentException("submitting to " + m + " needs the shaded job jar (build it with"
                        + " `mvn -pl beam-segmentation -am package -Pjob-jar -DskipTests` and pass --job-jar)");
            }
            o.setFilesToStage(List.copyOf(jobJars));
            url = "http://" + m + "/";
        }
        Path confDir = flinkConfDir;
        if (extra.length() > 0) {
            confDir = Files.createTempDirectory("detcon-flink-conf");
            confDir.toFile().deleteOnExit();
            String generated = yaml + (yaml.isEmpty() || yaml.endsWith("\n") ? "" : "\n") + extra;
            Files.writeString(confDir.resolve("config.yaml"), generated, StandardCharsets.UTF_8).toFile()
                    .deleteOnExit();
        }
        if (confDir != null) {
            o.setFlinkConfDir(confDir.toString());
        }
        return new Prepared(o, url);
    }

    /** The runner by name ({@code direct} or {@code flink}). */
    public static Prepared forName(String runner, String master, int parallelism, Path flinkConfDir,
                                   List<String> jobJars) throws IOException {
        switch (runner == null ? "flink" : runner.toLowerCase(Locale.ROOT)) {
            case "direct":
                return direct(parallelism);
            case "flink":
                return flink(master, parallelism, flinkConfDir, jobJars);
            default:
                throw new IllegalArgumentException("unknown runner '" + runner + "' (direct or flink)");
        }
    }

    /** Prints where to watch the job. */
    public static void announce(Prepared p, PrintStream out) {
        if (p.dashboardUrl() != null) {
            out.println("Flink dashboard: " + p.dashboardUrl());
        }
    }

    static Integer restPort(String yaml) {
        Matcher mt = REST_PORT.matcher(yaml);
        Integer port = null;
        while (mt.find()) {
            port = Integer.parseInt(mt.group(1));
        }
        if (port != null && port == 0) {
            return null; // 0 = random: choose one here so that the URL is known
        }
        return port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
