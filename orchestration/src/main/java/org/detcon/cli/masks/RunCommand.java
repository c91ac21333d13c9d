package org.detcon.cli.masks;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.detcon.cli.DetconVersion;
import org.detcon.cli.UsageException;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.image.DecodeLimits;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.RecordedRun;
import org.detcon.orchestration.runs.Step;
import org.detcon.segmentation.pipeline.MaskPipeline;
import org.detcon.segmentation.pipeline.MaskPipelineConfig;
import org.detcon.segmentation.pipeline.MaskPipelineConfig.InputKind;
import org.detcon.segmentation.pipeline.MaskProgress;
import org.detcon.segmentation.pipeline.MaskProgressLog;
import org.detcon.segmentation.pipeline.MaskRunResult;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.segmentation.pipeline.RunnerSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code detcon masks run}: the Beam mask pipeline, embedded Flink by default. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Computes mask sets for a folder/prefix of images, a COCO dataset (--coco) or existing shards (an input"
                    + " holding _manifest.json) and writes WebDataset shards, _manifest.json and"
                    + " _dead_letters.jsonl to --output.",
            "Runs on an embedded Flink mini-cluster by default (its dashboard URL is printed at start), on a Flink"
                    + " session cluster with --flink-master HOST:PORT, or on Beam's DirectRunner. A progress line shows"
                    + " images done, rate, rejects and ETA while it runs.",
            "Any other --name=value is a standard Beam or Flink runner option (e.g. --maxParallelism=4,"
                    + " --checkpointingInterval=MS, --s3Endpoint=URL); a misspelt one is an error naming it."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "Folder or object-store prefix of images (recursive), the COCO image root, or a shard dataset.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "Dataset directory to write.")
    String output;

    @Option(names = "--masks", defaultValue = "fh:1000", paramLabel = "LIST",
            description = "Mask sets: fh:SCALE[:min=N][:sigma=S], grid:N, gt; comma-separated (default: ${DEFAULT-VALUE}).")
    String masks;

    @Option(names = "--coco", paramLabel = "ANNOTATIONS",
            description = "COCO instances JSON: --input is then the image root; image ids and ground truth (gt) are attached.")
    String coco;

    @Option(names = "--runner", defaultValue = "flink", description = "direct or flink (default: ${DEFAULT-VALUE}).")
    String runner;

    @Option(names = "--flink-master", defaultValue = "[local]", paramLabel = "[local]|HOST:PORT",
            description = "[local] = embedded mini-cluster with dashboard (default), or a session cluster's REST address.")
    String flinkMaster;

    @Option(names = "--parallelism", defaultValue = "-1", description = "Task parallelism (default: Flink's / cores).")
    int parallelism;

    @Option(names = {"--flinkConfDir", "--flink-conf-dir"}, paramLabel = "DIR",
            description = "Flink configuration directory (config.yaml); its rest.port is the embedded dashboard's port.")
    Path flinkConfDir;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "Shaded job jar staged to a session cluster (default: beam-segmentation/target/*-job.jar).")
    Path jobJar;

    @Option(names = "--buckets", defaultValue = "0",
            description = "Shard buckets (sample -> sha256(key) mod buckets); 0 = inputs / --samples-per-shard.")
    int buckets;

    @Option(names = "--samples-per-shard", defaultValue = "" + MaskPipelineConfig.DEFAULT_SAMPLES_PER_SHARD,
            description = "Target samples per shard when --buckets is 0 (default: ${DEFAULT-VALUE}).")
    int samplesPerShard;

    @Option(names = "--shard-size", defaultValue = "1g",
            description = "A bucket larger than this rolls over into more shard files (bytes, or with k/m/g; default: ${DEFAULT-VALUE}).")
    String shardSize;

    @Option(names = "--glob", description = "Which keys are images (glob on the relative key; default: JPEG/PNG extensions).")
    String glob;

    @Option(names = "--dataset", description = "Dataset name in sample metadata.")
    String dataset;

    @Option(names = "--split", description = "Split name in sample metadata.")
    String split;

    @Option(names = "--max-pixels", defaultValue = "" + DecodeLimits.DEFAULT_MAX_PIXELS,
            description = "Larger images are rejected as TOO_LARGE (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Embedded mini-cluster: Flink's Prometheus reporter on this port (default: none).")
    int metricsPort;

    @Unmatched
    List<String> pipelineArgs = new ArrayList<>();

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Record the run in DIR's run store (detcon runs list --workdir DIR).")
    Path workdir;

    @Spec
    CommandSpec spec;

    /** Beam options this command sets from its own options, which must not be given twice. */
    private static final Map<String, String> OWN = Map.of("runner", "--runner", "flinkMaster", "--flink-master",
            "parallelism", "--parallelism", "flinkConfDir", "--flinkConfDir", "filesToStage", "--job-jar",
            "targetParallelism", "--parallelism");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunnerSetup.Prepared prepared;
        MaskPipelineConfig config;
        try {
            PipelineOptions base = RunnerSetup.parseArgs(beamArgs());
            List<String> jars = new ArrayList<>();
            if ("flink".equalsIgnoreCase(runner) && !"[local]".equals(flinkMaster)) {
                jars.add(jobJar().toString());
            }
            prepared = RunnerSetup.forName(base, runner, flinkMaster, parallelism, flinkConfDir, jars, metricsPort);
            List<MaskSetSpec> specs = MaskSetSpec.parseList(masks);
            InputKind kind = MaskPipeline.detectKind(input, coco, prepared.options());
            config = new MaskPipelineConfig(kind, MaskPipelineConfig.absolute(input), glob,
                    MaskPipelineConfig.absolute(coco), dataset, split, specs, MaskPipelineConfig.absolute(output), buckets,
                    samplesPerShard, MaskPipelineConfig.parseSize(shardSize), maxPixels, DetconVersion.version());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().lines().findFirst().orElse(e.getMessage()));
        }
        out.println("detcon masks run: " + config.inputKind().name().toLowerCase(Locale.ROOT) + " " + input + " -> "
                + output + ", masks " + config.masks() + ", runner " + runner
                + ("flink".equalsIgnoreCase(runner) ? " " + flinkMaster : ""));
        if (prepared.dashboardUrl() != null) {
            out.println("Flink dashboard: " + prepared.dashboardUrl());
        }
        if (prepared.metricsUrl() != null) {
            out.println("Prometheus metrics: " + prepared.metricsUrl());
        }
        out.flush();
        MaskPipelineConfig cfg = config;
        MaskRunResult[] result = new MaskRunResult[1];
        Step step = RecordedRun.step("masks", "masks run " + input + " -> " + output, Map.of("config",
                ContentHash.configHash(cfg.toJson())), () -> {
                    result[0] = MaskPipeline.run(cfg, prepared.options(), progressLine(out));
                    Map<String, Path> outputs = new LinkedHashMap<>();
                    try (ObjectStore o = ObjectStores.open(cfg.output())) {
                        if (o instanceof LocalObjectStore local) {
                            outputs.put("shards", local.path(DatasetManifest.FILE_NAME).getParent());
                        }
                    }
                    return Step.Outcome.local(outputs, Map.of("samples", (double) result[0].manifest().samples(),
                            "rejected", (double) result[0].manifest().rejected()));
                });
        RecordedRun.run(workdir, "masks", ContentHash.configHash(cfg.toJson()), input + " -> " + output, step, out);
        MaskRunResult r = result[0];
        out.print(r.format());
        out.println("dataset: " + output + "/" + DatasetManifest.FILE_NAME);
        out.flush();
        if (!r.countsAddUp()) {
            spec.commandLine().getErr().println("error: counts do not add up: " + r.expectedInputs()
                    + " inputs listed, " + r.manifest().inputs() + " written or rejected");
            return 2;
        }
        return 0;
    }

    /** The unmatched arguments, which must be Beam options this command does not set itself. */
    private List<String> beamArgs() {
        for (String a : pipelineArgs) {
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "' (pipeline options are --name=value)");
            }
            String name = a.substring(2).split("=", 2)[0];
            if (OWN.containsKey(name)) {
                throw new UsageException("use " + OWN.get(name) + " instead of " + a.split("=", 2)[0]);
            }
        }
        return pipelineArgs;
    }

    /** The live progress: one line rewritten in place on a terminal, else a line every 10 s. */
    private static Consumer<MaskProgress> progressLine(PrintWriter out) {
        if (System.console() == null) {
            return new MaskProgressLog(line -> {
                out.println(line);
                out.flush();
            }, 10_000);
        }
        return p -> {
            synchronized (out) {
                out.print("\r\033[K masks: " + p.format() + (p.finished() ? "\n" : ""));
                out.flush();
            }
        };
    }

    private Path jobJar() throws IOException {
        if (jobJar != null) {
            if (!Files.isRegularFile(jobJar)) {
                throw new UsageException("--job-jar " + jobJar + " does not exist");
            }
            return jobJar;
        }
        List<Path> candidates = new ArrayList<>();
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().getParent();
            if (p != null) {
                candidates.add(p);
            }
        }
        candidates.add(Path.of("beam-segmentation", "target"));
        for (Path dir : candidates) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                var found = s.filter(f -> f.getFileName().toString().matches("detcon-beam-segmentation-.*-job\\.jar"))
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new UsageException("no job jar found for the session cluster: build it with `mvn -pl beam-segmentation"
                + " -am package -Pjob-jar -DskipTests` or pass --job-jar");
    }
}
