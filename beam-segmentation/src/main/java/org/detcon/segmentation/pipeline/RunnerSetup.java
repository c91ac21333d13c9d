package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.detcon.core.store.s3.S3Config;

/**
 * Pipeline options for the runners {@code detcon masks run} offers, on top of any standard Beam/Flink options
 * ({@link #parseArgs}).
 *
 * <ul>
 *   <li>{@code direct}: Beam's DirectRunner (tests, small jobs).</li>
 *   <li>{@code flink} with master {@code [local]} (default): an in-process Flink mini-cluster. With
 *       {@code flink-runtime-web} on the classpath its REST endpoint serves the real Flink dashboard; the port is
 *       {@code rest.port} from {@code <flinkConfDir>/config.yaml} when set there, otherwise a free port chosen here
 *       (written into a generated configuration directory, so the URL is known before the job starts). A metrics
 *       port adds Flink's Prometheus reporter on that port.</li>
 *   <li>{@code flink} with master {@code HOST:PORT}: submission to a Flink session cluster (its REST port,
 *       usually 8081); the shaded job jar ({@code detcon-beam-segmentation-*-job.jar}, built with
 *       {@code -Pjob-jar}) is staged to the cluster. Paths in the job are read on the TaskManagers: give
 *       absolute paths or object-store URIs there.</li>
 * </ul>
 * Jobs run on Flink's DataStream API in BATCH mode and restart up to {@link #RESTART_ATTEMPTS} times (fixed delay
 * {@link #RESTART_DELAY_MS} ms): a lost TaskManager does not fail the run, and the shard writes are idempotent.
 * The DirectRunner does not block on {@code run()}, so its result gives the job's metrics while it runs; a Flink
 * job's come from Flink's REST API ({@link MaskPipeline#run}).
 * The S3 settings of this process's environment go into the {@link StoreOptions} that are not set already, so they
 * travel with the job.
 */
public final class RunnerSetup {

    /** Job restarts after a failure (unless the configuration directory sets a restart strategy). */
    public static final int RESTART_ATTEMPTS = 3;
    /**
     * Delay before a restart: long enough for the JobManager to notice a killed TaskManager (infra/local's cluster:
     * about 2 s), since every task that fails counts as one restart and a restart deployed to the dead TaskManager
     * fails at once.
     */
    public static final long RESTART_DELAY_MS = 5000;

    /**
     * Flink settings of the embedded mini-cluster unless its configuration directory sets them (infra/local's session
     * cluster and the Kubernetes deployment set them too): Flink's adaptive batch scheduler would size each stage by
     * its input bytes, which for a list of image keys means one task, so the job's parallelism is used instead; the
     * REST API refreshes metrics every second (default 10 s), for the progress line.
     */
    static final String[][] EMBEDDED_DEFAULTS = {
        {"execution.batch.adaptive.auto-parallelism.enabled", "false"},
        {"metrics.fetcher.update-interval", "1000"},
    };

    /**
     * Standard options every mask job gets unless its arguments set them ({@link #parseArgs}): no defensive copies
     * between chained steps ({@code fasterCopy}), since the pipeline's DoFns never modify their inputs (an image and
     * its label maps per element).
     */
    static final Map<String, String> DEFAULT_ARGS = Map.of("fasterCopy", "true");

    private static final Pattern REST_PORT = Pattern.compile("(?m)^\\s*rest\\.port\\s*:\\s*['\"]?(\\d+)['\"]?\\s*$");

    /**
     * Options plus where to watch the job: the Flink dashboard (embedded or session cluster) and, for the embedded
     * mini-cluster with a metrics port, its Prometheus endpoint (null when there is none).
     */
    public record Prepared(PipelineOptions options, String dashboardUrl, String metricsUrl) {
        public Prepared(PipelineOptions options, String dashboardUrl) {
            this(options, dashboardUrl, null);
        }
    }

    private RunnerSetup() {
    }

    /**
     * Standard Beam/Flink options from {@code --name=value} arguments, validated; a misspelt name or a bad value is
     * an {@link IllegalArgumentException} naming it.
     */
    public static PipelineOptions parseArgs(List<String> args) {
        return parseArgs(args, PipelineOptions.class);
    }

    /**
     * Options of type {@code type} (registered here) from {@code --name=value} arguments, validated, with
     * {@link #DEFAULT_ARGS} for the options the arguments do not set.
     */
    public static <T extends PipelineOptions> T parseArgs(List<String> args, Class<T> type) {
        PipelineOptionsFactory.register(StoreOptions.class);
        PipelineOptionsFactory.register(type);
        List<String> all = new ArrayList<>(args);
        DEFAULT_ARGS.forEach((name, value) -> {
            if (args.stream().noneMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="))) {
                all.add("--" + name + "=" + value);
            }
        });
        return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).withValidation().as(type);
    }

    /** DirectRunner options; {@code parallelism} <= 0 means the number of cores. */
    public static Prepared direct(int parallelism) {
        return direct(parseArgs(List.of()), parallelism);
    }

    /** DirectRunner options on top of {@code base}. */
    public static Prepared direct(PipelineOptions base, int parallelism) {
        DirectOptions o = base.as(DirectOptions.class);
        o.setRunner(DirectRunner.class);
        if (parallelism > 0) {
            o.setTargetParallelism(parallelism);
        }
        o.setBlockOnRun(false);
        withStoreSettings(o);
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
        return flink(parseArgs(List.of()), master, parallelism, flinkConfDir, jobJars, 0);
    }

    /**
     * Flink runner options on top of {@code base} (standard options from {@link #parseArgs}).
     *
     * @param metricsPort the embedded mini-cluster's Prometheus port (0: none; ignored for a session cluster,
     *                    whose own configuration decides)
     */
    public static Prepared flink(PipelineOptions base, String master, int parallelism, Path flinkConfDir,
                                 List<String> jobJars, int metricsPort) throws IOException {
        FlinkPipelineOptions o = base.as(FlinkPipelineOptions.class);
        String m = master == null || master.isBlank() ? "[local]" : master.trim();
        o.setFlinkMaster(m);
        if (parallelism > 0) {
            o.setParallelism(parallelism);
        }
        flinkDefaults(o);
        withStoreSettings(o);
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
        String metricsUrl = null;
        if (m.equals("[local]")) {
            Integer port = restPort(yaml);
            if (port == null) {
                port = freePort();
                extra.append("rest.port: ").append(port).append('\n');
            }
            url = "http://localhost:" + port + "/";
            for (String[] kv : EMBEDDED_DEFAULTS) {
                if (!yaml.contains(kv[0])) {
                    extra.append(kv[0]).append(": ").append(kv[1]).append('\n');
                }
            }
            if (metricsPort > 0) {
                extra.append("metrics.reporter.prom.factory.class: ")
                        .append("org.apache.flink.metrics.prometheus.PrometheusReporterFactory\n")
                        .append("metrics.reporter.prom.port: ").append(metricsPort).append('\n');
                metricsUrl = "http://localhost:" + metricsPort + "/metrics";
            }
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
        return new Prepared(o, url, metricsUrl);
    }

    /**
     * What every mask job on Flink uses (the CLI's runs and the job jar's {@link MaskJob}): Flink's DataStream API
     * in BATCH mode (Beam's DataSet translation ignores retry settings, and DataSet is deprecated in Flink), so a
     * failed task or a lost TaskManager restarts the affected region; the job name.
     */
    public static void flinkDefaults(FlinkPipelineOptions o) {
        o.setRunner(FlinkRunner.class);
        // Beam's generated default is "<appname, lower case>-<user>-<time>-<random>"; a name given with --jobName stays
        String app = o.getAppName() == null || o.getAppName().isEmpty() ? "beamapp"
                : o.getAppName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "0");
        if (o.getJobName() == null || o.getJobName().startsWith(app + "-")) {
            o.setJobName("detcon-masks");
        }
        o.setUseDataStreamForBatch(true);
        o.setNumberOfExecutionRetries(RESTART_ATTEMPTS);
        o.setExecutionRetryDelay(RESTART_DELAY_MS);
    }

    /** Copies this process's S3 settings into the job's {@link StoreOptions} that are not set yet. */
    static void withStoreSettings(PipelineOptions o) {
        PipelineStores.fillFrom(S3Config.fromEnvironment(), o);
    }

    /** The runner by name ({@code direct} or {@code flink}). */
    public static Prepared forName(String runner, String master, int parallelism, Path flinkConfDir,
                                   List<String> jobJars) throws IOException {
        return forName(parseArgs(List.of()), runner, master, parallelism, flinkConfDir, jobJars, 0);
    }

    /** The runner by name ({@code direct} or {@code flink}), on top of {@code base}. */
    public static Prepared forName(PipelineOptions base, String runner, String master, int parallelism,
                                   Path flinkConfDir, List<String> jobJars, int metricsPort) throws IOException {
        switch (runner == null ? "flink" : runner.toLowerCase(Locale.ROOT)) {
            case "direct":
                return direct(base, parallelism);
            case "flink":
                return flink(base, master, parallelism, flinkConfDir, jobJars, metricsPort);
            default:
                throw new IllegalArgumentException("unknown runner '" + runner + "' (direct or flink)");
        }
    }

    /** Prints where to watch the job. */
    public static void announce(Prepared p, PrintStream out) {
        if (p.dashboardUrl() != null) {
            out.println("Flink dashboard: " + p.dashboardUrl());
        }
        if (p.metricsUrl() != null) {
            out.println("Prometheus metrics: " + p.metricsUrl());
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

    /** A TCP port free right now on this machine. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
