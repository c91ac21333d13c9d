package org.detcon.trainer.run;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.detcon.core.hash.CanonicalJson;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchSource;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.detcon.trainer.run.listener.Checkpointer;
import org.detcon.trainer.run.listener.DivergenceGuard;
import org.detcon.trainer.run.listener.MetricsLogger;
import org.detcon.trainer.run.listener.ProgressDisplay;

/**
 * The project's one training loop: pretraining ({@link TrainingRun}), fine-tuning and detection are configurations
 * of it. It takes batches from a resumable {@link BatchSource}, steps a {@link Learner} and hands every step to its
 * {@link TrainingListener}s, in this order: {@link DivergenceGuard} (a NaN or infinite loss stops the run),
 * {@link MetricsLogger} ({@code metrics.jsonl}), {@link ProgressDisplay} (when a progress stream is given), the
 * caller's listeners, {@link BackboneExporter} (when exports are asked for: {@code backbone/} at the end,
 * {@code backbones/step-N/} at the requested steps) and {@link Checkpointer} (every {@code checkpoint_every} steps
 * and at the end; it tells the listeners before it how long each checkpoint took).
 *
 * <p>Output layout under the output URI (a local path or an {@code s3://} prefix): {@code run.json} (the run's
 * identity and its hash), {@code step-NNNNNNNN/} + {@code latest} ({@link Checkpoints}), {@code metrics.jsonl},
 * and what the listeners write. An output that already holds a checkpoint of the same identity is resumed from
 * {@code latest} (the learner's state and step, the data position: the losses continue as in an uninterrupted
 * run); one of another identity is refused, naming the differing fields.
 *
 * <p>Determinism: the engine's generator is seeded from the run's seed before the learner is built (its initial
 * weights), and the source's batches are a function of the seed and position.
 *
 * <p>Batches come one ahead ({@link AheadBatches}): while a step runs, the next batch is taken from the source and
 * uploaded to the learner's device ({@link Learner#upload}) on a thread of its own; the time a step waits for its
 * batch is the {@code data_wait} the listeners see. The numbers are those of taking each batch inside its step.
 */
public final class TrainingLoop<T> {

    public static final String RUN_FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The loop's knobs: the batch size (throughput, ETA), the seed (engine, data, {@code state.json}), the output,
     * and the PyTorch intra-op threads (0: the default).
     */
    public record Settings(int batchSize, long seed, OutputConfig output, int torchThreads) {
    }

    /**
     * What {@code run.json} records: the run's identity (what determines its results), its sha256, and where the
     * data is (for messages).
     */
    public record Identity(ObjectNode config, String hash, String data) {
    }

    /** What a finished invocation did; {@code output} is the output store's URI. */
    public record Result(long startStep, long steps, float firstLoss, float lastLoss, BatchSource.Stats data,
            double seconds, long peakRssBytes, String output) {
    }

    private final Settings settings;
    private final Identity identity;
    private final Supplier<? extends Learner<T>> learner;
    private final BatchSource.Opener<T> source;
    private final long totalSteps;
    private final long stepsPerEpoch;
    private final PrintWriter progress;
    private final List<TrainingListener> listeners;
    private final Set<Long> exportSteps;
    private final boolean exports;
    private final String deviceLine;
    private final String deviceNames;

    private TrainingLoop(Builder<T> b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.identity = Objects.requireNonNull(b.identity, "identity");
        this.learner = Objects.requireNonNull(b.learner, "learner");
        this.source = Objects.requireNonNull(b.source, "source");
        this.totalSteps = b.totalSteps;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.progress = b.progress;
        this.listeners = List.copyOf(b.listeners);
        this.exportSteps = new TreeSet<>(b.exportSteps);
        this.exports = b.exports;
        this.deviceLine = b.deviceLine;
        this.deviceNames = b.deviceNames;
        if (totalSteps < 1) {
            throw new ConfigException("steps: the run has no step (" + totalSteps + ")");
        }
        for (long s : exportSteps) {
            if (s < 0 || s > totalSteps) {
                throw new ConfigException("export steps: " + s + " is outside the run's 0.." + totalSteps + " steps");
            }
        }
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** How a loop is put together; settings, identity, learner, source and steps are required. */
    public static final class Builder<T> {
        private Settings settings;
        private Identity identity;
        private Supplier<? extends Learner<T>> learner;
        private BatchSource.Opener<T> source;
        private long totalSteps;
        private long stepsPerEpoch;
        private PrintWriter progress;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private final Set<Long> exportSteps = new TreeSet<>();
        private boolean exports;
        private String deviceLine;
        private String deviceNames;

        private Builder() {
        }

        public Builder<T> settings(Settings s) {
            this.settings = s;
            return this;
        }

        public Builder<T> identity(Identity id) {
            this.identity = id;
            return this;
        }

        /**
         * Where the learner computes: {@code line} is printed at start, {@code names} recorded as {@code device} in
         * {@code run.json} (not part of the identity; a resumed run records its own). Optional.
         */
        public Builder<T> device(String line, String names) {
            this.deviceLine = line;
            this.deviceNames = names;
            return this;
        }

        /** Builds the learner (called once per invocation, after the engine's generator is seeded). */
        public Builder<T> learner(Supplier<? extends Learner<T>> factory) {
            this.learner = factory;
            return this;
        }

        /** Opens the batch stream at a position (the start, or a restored checkpoint's). */
        public Builder<T> source(BatchSource.Opener<T> opener) {
            this.source = opener;
            return this;
        }

        /** The schedule's length and the steps of one epoch of the data (for listeners). */
        public Builder<T> steps(long total, long perEpoch) {
            this.totalSteps = total;
            this.stepsPerEpoch = perEpoch;
            return this;
        }

        /** Where the progress bar and warnings go (stderr); none by default. */
        public Builder<T> progress(PrintWriter out) {
            this.progress = out;
            return this;
        }

        /** One more listener, called after the progress display and before exports and checkpoints. */
        public Builder<T> listener(TrainingListener l) {
            listeners.add(l);
            return this;
        }

        /**
         * Exports the learner's backbone ({@link Learner#export}) into {@code backbone/} when the schedule completes
         * and into {@code backbones/step-N/} at these steps (0 = the initialisation).
         */
        public Builder<T> exportAt(Collection<Long> steps) {
            exports = true;
            exportSteps.addAll(steps);
            return this;
        }

        public TrainingLoop<T> build() {
            return new TrainingLoop<>(this);
        }
    }

    /** The output store of a URI (a path, file: or s3://); a malformed or unsupported URI is a config error. */
    public static ObjectStore open(String uri) {
        try {
            return ObjectStores.open(uri);
        } catch (RuntimeException e) {
            throw new ConfigException("output.uri: " + e.getMessage(), e);
        }
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
        try (ObjectStore output = open(settings.output().uri())) {
            return run(output, maxSteps);
        }
    }

    private Result run(ObjectStore output, long maxSteps) throws IOException {
        Optional<String> latest = prepareOutput(output);
        if (settings.torchThreads() > 0) {
            Torch.configure(settings.torchThreads());
        }
        List<TrainingListener> all = new ArrayList<>();
        all.add(new DivergenceGuard());
        all.add(new MetricsLogger());
        ProgressDisplay bar = progress == null ? null : new ProgressDisplay(progress);
        if (bar != null) {
            all.add(bar);
        }
        all.addAll(listeners);
        if (exports) {
            all.add(new BackboneExporter(exportSteps));
        }
        all.add(new Checkpointer(all));
        Consumer<String> messages = bar != null ? bar::message : s -> { };
        if (deviceLine != null) {
            messages.accept(deviceLine);
        }
        long t0 = System.nanoTime();
        // the initial weights come from the engine's generator: seeded, a config gives the same run every time
        long seed = settings.seed();
        Torch.engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        try (Learner<T> l = learner.get()) {
            BatchSource.Position position = BatchSource.Position.START;
            if (latest.isPresent()) {
                Checkpoints.State s = Checkpoints.restore(output, latest.get(), l);
                position = new BatchSource.Position(s.epoch(), s.position());
                messages.accept("resuming " + output.uri() + " from " + latest.get() + " (step " + s.step() + ")");
            }
            long start = l.stepCount();
            long end = Math.min(totalSteps, start + Math.max(0, Math.min(maxSteps, totalSteps)));
            TrainingContext ctx = new TrainingContext(l, settings, output, identity.hash(), start, end, totalSteps,
                    stepsPerEpoch, messages);
            Steps steps = new Steps();
            try {
                for (TrainingListener x : all) {
                    x.onTrainingBegin(ctx);
                }
                steps.run(ctx, position, all);
                for (TrainingListener x : all) {
                    x.onTrainingEnd(ctx);
                }
            } finally {
                closeAll(all);
            }
            return new Result(start, l.stepCount() - start, steps.first, steps.last, steps.stats,
                    (System.nanoTime() - t0) / 1e9, ProcessMemory.peakRssBytes(), output.uri());
        }
    }

    /** The steps of one invocation, with the throughput window the listeners see. */
    private final class Steps {
        float first = Float.NaN;
        float last = Float.NaN;
        BatchSource.Stats stats;

        @SuppressWarnings("unchecked")
        void run(TrainingContext ctx, BatchSource.Position position, List<TrainingListener> all) throws IOException {
            Learner<T> l = (Learner<T>) ctx.learner();
            try (BatchSource<T> data = source.open(position, w -> ctx.messages().accept("warning: " + w));
                    AheadBatches<T> ahead = new AheadBatches<>(data, l, ctx.startStep(),
                            ctx.endStep() - ctx.startStep(), position)) {
                long windowStart = System.nanoTime();
                long windowWait = 0;
                long windowSteps = 0;
                double imgPerSec = 0;
                double wait = 0;
                for (long k = ctx.startStep(); k < ctx.endStep(); k++) {
                    AheadBatches.Ready<T> batch = ahead.next();
                    StepLoss loss;
                    try (batch) {
                        loss = l.step(batch.batch().items(), batch.upload());
                    }
                    stats = batch.stats();
                    if (Float.isNaN(first)) {
                        first = loss.total();
                    }
                    last = loss.total();
                    windowSteps++;
                    long now = System.nanoTime();
                    boolean lastStep = k + 1 == ctx.endStep();
                    if (now - windowStart > 2_000_000_000L || lastStep || k == ctx.startStep()) {
                        long waited = ahead.waitNanos();
                        imgPerSec = windowSteps * settings.batchSize() / ((now - windowStart) / 1e9);
                        wait = (waited - windowWait) / (double) (now - windowStart);
                        windowStart = now;
                        windowWait = waited;
                        windowSteps = 0;
                    }
                    StepResult r = new StepResult(k, loss.total(), loss.parts(), l.learningRate(k),
                            l.stepValues(k), imgPerSec, wait, batch.batch().next(), stats, lastStep);
                    for (TrainingListener x : all) {
                        x.onStep(ctx, r);
                    }
                }
                if (stats == null) { // no step: the ahead thread never touched the source
                    stats = data.stats();
                }
            }
        }
    }

    /** Whether every parameter of the learner is finite (checked before a checkpoint is saved). */
    public static boolean finite(Learner<?> l) {
        for (Block b : l.parameterBlocks()) {
            for (var e : b.getParameters()) {
                for (float f : e.getValue().getArray().toFloatArray()) {
                    if (!Float.isFinite(f)) {
                        return false;
                    }
                }
            }
        }
        return true;
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
    private Optional<String> prepareOutput(ObjectStore output) throws IOException {
        String hash = identity.hash();
        if (output.exists(RUN_FILE)) {
            JsonNode old = JSON.readTree(output.readAllBytes(RUN_FILE));
            String oldHash = old.path("config_sha256").asText();
            if (!hash.equals(oldHash)) {
                throw new ConfigException("output.uri: " + output.uri() + " already holds a run of another config"
                        + " (config sha256 " + oldHash + ", this one " + hash + "; differing fields: "
                        + differences(old.path("config"), identity.config(), "") + "). Use another output or the"
                        + " same config.");
            }
            if (deviceNames != null && !deviceNames.equals(old.path("device").asText())) {
                ((ObjectNode) old).put("device", deviceNames);
                output.write(RUN_FILE, (CanonicalJson.write(old) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return Checkpoints.latest(output);
        }
        if (Checkpoints.latest(output).isPresent()) {
            throw new ConfigException("output.uri: " + output.uri() + " holds checkpoints but no " + RUN_FILE
                    + "; refusing to resume a run of unknown config");
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("config_sha256", hash);
        run.set("config", identity.config());
        run.put("data", identity.data());
        if (deviceNames != null) {
            run.put("device", deviceNames);
        }
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
