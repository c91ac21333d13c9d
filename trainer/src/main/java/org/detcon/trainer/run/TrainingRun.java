package org.detcon.trainer.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.detcon.core.hash.CanonicalJson;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.BatchSource;
import org.detcon.trainer.data.ShardData;
import org.detcon.trainer.data.TrainingData;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.detcon.trainer.run.listener.Checkpointer;
import org.detcon.trainer.run.listener.DivergenceGuard;
import org.detcon.trainer.run.listener.MetricsLogger;
import org.detcon.trainer.run.listener.ProgressDisplay;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * The training loop: the only one that steps a {@link Pretrainer} for pretraining (the CLI's {@code detcon train},
 * sweeps, the quickstart and the benchmarks all run through it). It takes batches from a {@link TrainingData}
 * source (shards streamed by the {@code ShardLoader}, or examples in memory), steps the networks and hands every
 * step to its {@link TrainingListener}s, in this order: {@link DivergenceGuard} (a NaN or infinite loss stops the
 * run), {@link MetricsLogger} ({@code metrics.jsonl}), {@link ProgressDisplay} (when a progress stream is given),
 * the caller's listeners, {@link BackboneExporter} ({@code backbone/} at the end, {@code backbones/step-N/} at the
 * requested steps) and {@link Checkpointer} (every {@code checkpoint_every} steps and at the end).
 *
 * <p>Output layout under {@code output.uri} (a local path or an {@code s3://} prefix): {@code run.json} (the
 * config's identity and hash), {@code step-NNNNNNNN/} + {@code latest}, {@code metrics.jsonl}, {@code backbone/}.
 * The identity is the config with the data's location replaced by its content hash ({@link TrainConfig#identity}),
 * so a moved dataset keeps its runs. An output that already holds a checkpoint of the same identity is resumed from
 * {@code latest} (weights, momentum, step, data position: the losses continue as in an uninterrupted run); one of
 * another identity is refused.
 */
public final class TrainingRun {

    public static final String RUN_FILE = "run.json";
    public static final String METRICS_FILE = MetricsLogger.FILE;
    public static final String BACKBONE = BackboneExporter.FINAL;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig config;
    private final TrainingData data;
    private final PrintWriter progress;
    private final List<TrainingListener> listeners;
    private final Set<Long> exportSteps;
    private final String outputUri;
    private String dataHash;

    /** What a finished invocation did; {@code output} is the output store's URI. */
    public record Result(long startStep, long steps, float firstLoss, float lastLoss, BatchSource.Stats data,
            double seconds, long peakRssBytes, String output) {
    }

    private TrainingRun(Builder b) {
        this.config = b.config;
        this.data = b.data != null ? b.data : new ShardData(config.loaderConfig());
        this.dataHash = b.dataHash;
        this.progress = b.progress;
        this.listeners = List.copyOf(b.listeners);
        this.exportSteps = new TreeSet<>(b.exportSteps);
        try (ObjectStore store = open(config.output().uri())) {
            this.outputUri = store.uri();
        } catch (IOException e) {
            throw new ConfigException("output.uri: " + e.getMessage(), e);
        }
    }

    /** A run of {@code config} on its shard dataset ({@code data.uri}), unless {@link Builder#data} says otherwise. */
    public static Builder builder(TrainConfig config) {
        return new Builder(config);
    }

    /** How a run is put together. */
    public static final class Builder {
        private final TrainConfig config;
        private TrainingData data;
        private String dataHash;
        private PrintWriter progress;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final Set<Long> exportSteps = new TreeSet<>();

        private Builder(TrainConfig config) {
            this.config = config;
        }

        /** Train on {@code d} instead of the shards at {@code data.uri}. */
        public Builder data(TrainingData d) {
            this.data = d;
            return this;
        }

        /**
         * The data's content identity, when the caller knows it (a sweep names a mask step's output by the step's
         * key); by default {@link TrainingData#contentHash()}.
         */
        public Builder dataHash(String hash) {
            this.dataHash = hash;
            return this;
        }

        /** Where the progress bar and warnings go (stderr); none by default. */
        public Builder progress(PrintWriter out) {
            this.progress = out;
            return this;
        }

        /** One more listener, called after the progress display and before exports and checkpoints. */
        public Builder listener(TrainingListener l) {
            listeners.add(l);
            return this;
        }

        /** Also export the backbone at these steps ({@code backbones/step-N/}; 0 = the initialisation). */
        public Builder exportAt(Collection<Long> steps) {
            exportSteps.addAll(steps);
            return this;
        }

        public TrainingRun build() {
            return new TrainingRun(this);
        }
    }

    /** The output store of a URI (a path, file: or s3://); a malformed or unsupported URI is a config error. */
    private static ObjectStore open(String uri) {
        try {
            return ObjectStores.open(uri);
        } catch (RuntimeException e) {
            throw new ConfigException("output.uri: " + e.getMessage(), e);
        }
    }

    /** The output store's URI (checkpoints, metrics.jsonl, backbone/ live under it). */
    public String output() {
        return outputUri;
    }

    /** The data's content identity (computed once). */
    public String dataHash() throws IOException {
        if (dataHash == null) {
            dataHash = data.contentHash();
        }
        return dataHash;
    }

    /** sha256 of the run's identity: what {@code run.json} records. */
    public String configHash() throws IOException {
        return config.hash(dataHash());
    }

    /** Runs to the end of the schedule. */
    public Result run() throws IOException {
        return run(Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code maxSteps} steps of the schedule (then checkpoints and returns; a later call resumes).
     * The backbone is exported when the schedule is complete.
     */
    public Result run(long maxSteps) throws IOException {
        try (ObjectStore output = open(config.output().uri())) {
            return run(output, maxSteps);
        }
    }

    private Result run(ObjectStore output, long maxSteps) throws IOException {
        long samples = data.samplesPerEpoch();
        long stepsPerEpoch = samples / config.batchSize();
        if (stepsPerEpoch < 1) {
            throw new ConfigException("batch_size: the dataset " + data.describe() + " has " + samples
                    + " samples, fewer than one batch of " + config.batchSize());
        }
        PretrainConfig pc = config.toPretrainConfig(stepsPerEpoch);
        long total = pc.learningRate().totalSteps();
        for (long s : exportSteps) {
            if (s < 0 || s > total) {
                throw new ConfigException("export steps: " + s + " is outside the run's 0.." + total + " steps");
            }
        }
        String hash = configHash();
        Optional<String> latest = prepareOutput(output, hash);
        if (config.torchThreads() > 0) {
            Torch.configure(config.torchThreads());
        }
        List<TrainingListener> all = new ArrayList<>();
        all.add(new DivergenceGuard());
        all.add(new MetricsLogger());
        ProgressDisplay bar = progress == null ? null : new ProgressDisplay(progress);
        if (bar != null) {
            all.add(bar);
        }
        all.addAll(listeners);
        all.add(new BackboneExporter(exportSteps));
        all.add(new Checkpointer());
        Consumer<String> messages = bar != null ? bar::message : s -> { };
        long t0 = System.nanoTime();
        // the initial weights come from the engine's generator: seeded, a config gives the same run every time
        Torch.engine().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        try (Pretrainer p = new Pretrainer(pc, config.batchSize())) {
            BatchSource.Position position = BatchSource.Position.START;
            if (latest.isPresent()) {
                Checkpoints.State s = Checkpoints.restore(output, latest.get(), p);
                position = new BatchSource.Position(s.epoch(), s.position());
                messages.accept("resuming " + outputUri + " from " + latest.get() + " (step " + s.step() + ")");
            }
            long start = p.stepCount();
            long end = Math.min(total, start + Math.max(0, Math.min(maxSteps, total)));
            TrainingContext ctx = new TrainingContext(config, pc, p, output, hash, start, end, total, stepsPerEpoch,
                    messages);
            Steps steps = new Steps();
            try {
                for (TrainingListener l : all) {
                    l.onTrainingBegin(ctx);
                }
                steps.run(ctx, position, all);
                for (TrainingListener l : all) {
                    l.onTrainingEnd(ctx);
                }
            } finally {
                closeAll(all);
            }
            return new Result(start, p.stepCount() - start, steps.first, steps.last, steps.stats,
                    (System.nanoTime() - t0) / 1e9, ProcessMemory.peakRssBytes(), outputUri);
        }
    }

    /** The steps of one invocation, with the throughput window the listeners see. */
    private final class Steps {
        float first = Float.NaN;
        float last = Float.NaN;
        BatchSource.Stats stats;

        void run(TrainingContext ctx, BatchSource.Position position, List<TrainingListener> all) throws IOException {
            Pretrainer p = ctx.pretrainer();
            PretrainConfig pc = ctx.pretrainConfig();
            BatchAssembler assembler = new BatchAssembler(pc, config.seed());
            try (BatchSource source = data.open(assembler, config.batchSize(), config.seed(), position,
                    w -> ctx.messages().accept("warning: " + w))) {
                long windowStart = System.nanoTime();
                long windowWait = 0;
                long windowSteps = 0;
                double imgPerSec = 0;
                double wait = 0;
                for (long k = ctx.startStep(); k < ctx.endStep(); k++) {
                    BatchSource.Batch batch = source.next();
                    float loss;
                    try (NDManager m = Torch.newManager()) {
                        loss = p.step(assembler.assemblePairs(batch.pairs(), m));
                    }
                    if (Float.isNaN(first)) {
                        first = loss;
                    }
                    last = loss;
                    windowSteps++;
                    long now = System.nanoTime();
                    boolean lastStep = k + 1 == ctx.endStep();
                    if (now - windowStart > 2_000_000_000L || lastStep || k == ctx.startStep()) {
                        long waited = source.stats().waitNanos();
                        imgPerSec = windowSteps * config.batchSize() / ((now - windowStart) / 1e9);
                        wait = (waited - windowWait) / (double) (now - windowStart);
                        windowStart = now;
                        windowWait = waited;
                        windowSteps = 0;
                    }
                    StepResult r = new StepResult(k, loss, pc.learningRate().at(k),
                            pc.ema() == null ? Double.NaN : pc.ema().tau(k), imgPerSec, wait, batch.next(),
                            source.stats(), lastStep);
                    for (TrainingListener l : all) {
                        l.onStep(ctx, r);
                    }
                }
                stats = source.stats();
            }
        }
    }

    private static void closeAll(List<TrainingListener> all) throws IOException {
        IOException failure = null;
        for (TrainingListener l : all) {
            try {
                l.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Creates the output, writes {@code run.json} or checks it against this run's identity; returns the checkpoint
     * to resume from, if any.
     */
    private Optional<String> prepareOutput(ObjectStore output, String hash) throws IOException {
        ObjectNode identity = config.identity(dataHash());
        if (output.exists(RUN_FILE)) {
            JsonNode old = JSON.readTree(output.readAllBytes(RUN_FILE));
            String oldHash = old.path("config_sha256").asText();
            if (!hash.equals(oldHash)) {
                throw new ConfigException("output.uri: " + outputUri + " already holds a run of another config"
                        + " (config sha256 " + oldHash + ", this one " + hash + "; differing fields: "
                        + differences(old.path("config"), identity, "") + "). Use another output or the same"
                        + " config.");
            }
            return Checkpoints.latest(output);
        }
        if (Checkpoints.latest(output).isPresent()) {
            throw new ConfigException("output.uri: " + outputUri + " holds checkpoints but no " + RUN_FILE
                    + "; refusing to resume a run of unknown config");
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("config_sha256", hash);
        run.set("config", identity);
        run.put("data", data.describe());
        output.write(RUN_FILE, (CanonicalJson.write(run) + "\n").getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
    }

    private static String differences(JsonNode a, JsonNode b, String path) {
        TreeSet<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        List<String> out = new ArrayList<>();
        for (String n : names) {
            JsonNode x = a.get(n);
            JsonNode y = b.get(n);
            String p = path.isEmpty() ? n : path + "." + n;
            if (x != null && y != null && x.isObject() && y.isObject()) {
                String d = differences(x, y, p);
                if (!d.isEmpty()) {
                    out.add(d);
                }
            } else if (x == null || y == null || !x.toString().equals(y.toString())) {
                out.add(p + " " + (x == null ? "(absent)" : x) + " -> " + (y == null ? "(absent)" : y));
            }
        }
        return String.join(", ", out);
    }
}
