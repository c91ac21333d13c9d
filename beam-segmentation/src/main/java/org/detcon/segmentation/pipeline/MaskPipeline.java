package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.store.ObjectStore;

/**
 * The Beam pipeline that turns images (a folder or prefix, a COCO dataset, or existing shards) into mask shards,
 * and its driver.
 *
 * <pre>
 *  ListInputs ──items──▶ ComputeMasks ──samples──▶ WriteShards ──shard infos──▶ FinalizeDataset
 *      │                      │                        │                         (_dead_letters.jsonl,
 *      └──── dead letters ────┴────────────────────────┴───────────────────────▶  _manifest.json)
 * </pre>
 *
 * <p><b>Determinism.</b> A sample's bucket depends only on its key, and a bucket's samples are sorted by key
 * before they are written ({@link WriteShards}), so the same input and config give the same samples in the same
 * shards, byte for byte. <b>Atomicity.</b> Each shard appears only when complete; a retried bundle rewrites the
 * same bytes under the same name. {@link FinalizeDataset} writes the manifest last. <b>Counts.</b> Every input
 * ends up either in a shard or in the dead-letter listing. Object stores are opened with the job's
 * {@link StoreOptions}.
 */
public final class MaskPipeline {

    /** Beam metrics namespace ({@link MaskMetrics}). */
    public static final String NAMESPACE = MaskMetrics.NAMESPACE;
    /** How often a progress listener hears from a running job. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private MaskPipeline() {
    }

    /** A config with its bucket count resolved, the inputs the driver counted (-1 unknown) and the work to do. */
    public record Resolved(MaskPipelineConfig config, long expectedInputs, long workItems) {
    }

    /**
     * Counts the inputs and fills in the automatic bucket count.
     *
     * @throws NoInputsException when there is nothing to process
     */
    public static Resolved resolve(MaskPipelineConfig config, PipelineOptions options) throws IOException {
        long inputs;
        long work;
        try (ObjectStore in = PipelineStores.open(config.input(), options)) {
            switch (config.inputKind()) {
                case IMAGES -> {
                    long n = 0;
                    for (String k : in.list("")) {
                        if (config.matchesImage(k)) {
                            n++;
                        }
                    }
                    inputs = n;
                    work = n;
                }
                case COCO -> {
                    inputs = readCoco(config, options).images().size();
                    work = inputs;
                }
                case SHARDS -> {
                    DatasetManifest m = in.exists(DatasetManifest.FILE_NAME) ? DatasetManifest.read(in) : null;
                    inputs = m == null ? -1 : m.inputs();
                    work = m == null ? -1 : m.samples();
                }
                default -> throw new IllegalStateException();
            }
        }
        if (inputs == 0 || work == 0) {
            throw new NoInputsException(config.inputKind() == MaskPipelineConfig.InputKind.COCO
                    ? "no images in " + config.cocoAnnotations()
                    : config.inputKind() == MaskPipelineConfig.InputKind.SHARDS ? "no samples in " + config.input()
                    : "no images under " + config.input() + (config.glob() == null ? "" : " matching " + config.glob()));
        }
        MaskPipelineConfig c = config;
        if (c.buckets() == 0) {
            long n = inputs <= 0 ? 1 : (inputs + c.samplesPerShard() - 1) / c.samplesPerShard();
            c = c.withBuckets((int) Math.max(1, Math.min(n, 99_999)));
        }
        return new Resolved(c, inputs, work);
    }

    /** Adds the pipeline to {@code p}. The config must be {@link #resolve resolved}. */
    public static void build(Pipeline p, MaskPipelineConfig config) {
        PCollectionTuple listed = p.apply("ListInputs", new ListInputs(config));
        PCollectionTuple computed = listed.get(MaskTags.ITEMS).apply("ComputeMasks", new ComputeMasks(config));
        PCollectionTuple written = computed.get(MaskTags.SAMPLES).apply("WriteShards", new WriteShards(config));
        PCollection<DeadLetter> dead = PCollectionList.of(listed.get(MaskTags.DEAD))
                .and(computed.get(MaskTags.DEAD)).and(written.get(MaskTags.DEAD))
                .apply("AllRejects", Flatten.pCollections());
        PCollectionTuple.of(MaskTags.SHARDS, written.get(MaskTags.SHARDS)).and(MaskTags.DEAD, dead)
                .apply("Finalize", new FinalizeDataset(config));
    }

    /**
     * Runs the pipeline with {@code options} and waits: resolves the config, removes a stale manifest, runs, and
     * reads back the manifest. Throws when the job does not finish as DONE.
     */
    public static MaskRunResult run(MaskPipelineConfig config, PipelineOptions options) throws IOException {
        return run(config, options, null);
    }

    /**
     * As {@link #run(MaskPipelineConfig, PipelineOptions)}, telling {@code progress} (when not null) how far the
     * job is, about every {@link #PROGRESS_INTERVAL}, from the job's Beam metrics while it runs.
     *
     * @throws NoInputsException when there is nothing to process (nothing is written then)
     */
    public static MaskRunResult run(MaskPipelineConfig config, PipelineOptions options,
                                    Consumer<MaskProgress> progress) throws IOException {
        return run(config, options, progress, PROGRESS_INTERVAL);
    }

    /**
     * As {@link #run(MaskPipelineConfig, PipelineOptions, Consumer)}, telling {@code progress} about every
     * {@code interval} (a Flink cluster refreshes the counters its REST API serves every
     * {@code metrics.fetcher.update-interval}).
     */
    public static MaskRunResult run(MaskPipelineConfig config, PipelineOptions options,
                                    Consumer<MaskProgress> progress, Duration interval) throws IOException {
        Resolved r = resolve(config, options);
        MaskPipelineConfig c = r.config();
        try (ObjectStore out = PipelineStores.open(c.output(), options)) {
            out.delete(DatasetManifest.FILE_NAME); // no manifest until this run has finished
        }
        Pipeline p = Pipeline.create(options);
        build(p, c);
        long t0 = System.nanoTime();
        // Flink runs attached (run() returns when the job has ended): its live counters come from Flink's REST API;
        // the DirectRunner returns at once and its result has them
        String rest = progress == null ? null : flinkRestUrl(options);
        ProgressWatch watch = null;
        if (rest != null) {
            FlinkRestMetrics live = new FlinkRestMetrics(rest, options.getJobName(), r.workItems());
            watch = ProgressWatch.start(live::read, r.workItems(), t0, interval, progress);
        }
        PipelineResult result;
        PipelineResult.State state;
        try {
            result = p.run();
            if (progress != null && watch == null) {
                watch = ProgressWatch.start(() -> MetricsSummary.attempted(result), r.workItems(), t0, interval,
                        progress);
            }
            state = result.waitUntilFinish();
        } finally {
            if (watch != null) {
                watch.stop();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (state != PipelineResult.State.DONE) {
            throw new IOException("mask pipeline ended in state " + state);
        }
        DatasetManifest manifest;
        try (ObjectStore out = PipelineStores.open(c.output(), options)) {
            manifest = DatasetManifest.read(out);
        }
        MetricsSummary metrics = MetricsSummary.of(result);
        if (progress != null) {
            progress.accept(MaskProgress.of(metrics, r.workItems(), seconds, true));
        }
        return new MaskRunResult(c, manifest, r.expectedInputs(), metrics, seconds);
    }

    /**
     * The REST endpoint of the Flink cluster the options run on: the session cluster's {@code --flinkMaster}, the
     * embedded mini-cluster's {@code rest.port} from its configuration directory, or (for {@code [auto]}, as under
     * Flink's own client or in application mode) the address of Flink's configuration; null for other runners.
     */
    static String flinkRestUrl(PipelineOptions options) {
        if (!options.getRunner().getSimpleName().equals("FlinkRunner")) {
            return null;
        }
        FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
        String master = f.getFlinkMaster() == null ? "[auto]" : f.getFlinkMaster();
        if (master.matches("[^:/\\s\\[]+:\\d+")) {
            return "http://" + master + "/";
        }
        Configuration conf = f.getFlinkConfDir() != null ? GlobalConfiguration.loadConfiguration(f.getFlinkConfDir())
                : GlobalConfiguration.loadConfiguration();
        String host = master.equals("[local]") ? "localhost" : conf.get(RestOptions.ADDRESS, "localhost");
        return "http://" + host + ":" + conf.get(RestOptions.PORT) + "/";
    }

    /** Which kind of input a URI is: COCO when annotations are given, SHARDS when it holds a manifest. */
    public static MaskPipelineConfig.InputKind detectKind(String input, String cocoAnnotations,
                                                          PipelineOptions options) throws IOException {
        if (cocoAnnotations != null) {
            return MaskPipelineConfig.InputKind.COCO;
        }
        try (ObjectStore in = PipelineStores.open(input, options)) {
            return in.exists(DatasetManifest.FILE_NAME) ? MaskPipelineConfig.InputKind.SHARDS
                    : MaskPipelineConfig.InputKind.IMAGES;
        }
    }

    static CocoDataset readCoco(MaskPipelineConfig config, PipelineOptions options) throws IOException {
        String uri = config.cocoAnnotations();
        int slash = uri.lastIndexOf('/');
        String name = uri.substring(slash + 1);
        try (ObjectStore dir = PipelineStores.open(slash <= 0 ? "." : uri.substring(0, slash), options);
             InputStream in = dir.openRead(name)) {
            return CocoReader.read(in, uri);
        }
    }
}
