package org.detcon.trainer.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.ShardData;
import org.detcon.trainer.data.TrainingData;
import org.detcon.trainer.engine.DeviceException;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.detcon.trainer.run.listener.MetricsLogger;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Pretraining: the {@link TrainingLoop} configured from a {@link TrainConfig}, stepping a {@link Pretrainer}
 * ({@link PretrainLearner}) on batches from a {@link TrainingData} source (shards streamed by the
 * {@code ShardLoader}, or examples in memory). The CLI's {@code detcon train}, sweeps, the quickstart and the
 * benchmarks all run through it; the loop's listeners, checkpoints and resume are described there. It always
 * exports the backbone: {@code backbone/} at the end, {@code backbones/step-N/} at the requested steps.
 *
 * <p>Output layout under {@code output.uri} (a local path or an {@code s3://} prefix): {@code run.json} (the
 * config's identity and hash, and the device of the last invocation), {@code step-NNNNNNNN/} + {@code latest},
 * {@code metrics.jsonl}, {@code backbone/}.
 * The identity is the config with the data's location replaced by its content hash ({@link TrainConfig#identity}),
 * so a moved dataset keeps its runs. An output that already holds a checkpoint of the same identity is resumed from
 * {@code latest} (weights, momentum, step, data position: the losses continue as in an uninterrupted run); one of
 * another identity is refused.
 */
public final class TrainingRun {

    public static final String RUN_FILE = TrainingLoop.RUN_FILE;
    public static final String METRICS_FILE = MetricsLogger.FILE;
    public static final String BACKBONE = BackboneExporter.FINAL;

    private final TrainConfig config;
    private final TrainingData data;
    private final PrintWriter progress;
    private final List<TrainingListener> listeners;
    private final Set<Long> exportSteps;
    private final String outputUri;
    private String dataHash;

    private TrainingRun(Builder b) {
        this.config = b.config;
        this.data = b.data != null ? b.data : new ShardData(config.loaderConfig());
        this.dataHash = b.dataHash;
        this.progress = b.progress;
        this.listeners = List.copyOf(b.listeners);
        this.exportSteps = new TreeSet<>(b.exportSteps);
        try (ObjectStore store = TrainingLoop.open(config.output().uri())) {
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

    /**
     * The devices {@code spec} names on this host, checked against {@code precision} (one-line config errors naming
     * {@code device} or {@code precision}); used by every job that trains. Pretraining runs data parallel over
     * several; see {@link #resolveOneDevice} for the jobs that take one.
     */
    public static Devices.Resolved resolveDevice(DeviceSpec spec, Precision precision) {
        Devices.Resolved d;
        try {
            d = Devices.resolve(spec);
        } catch (DeviceException e) {
            throw new ConfigException("device: " + e.getMessage(), e);
        }
        String problem = precision.problemOn(d.devices(), System.getenv(Precision.TF32_MATMUL_ENV));
        if (problem != null) {
            throw new ConfigException("precision: " + problem);
        }
        return d;
    }

    /** As {@link #resolveDevice}, for a job ({@code what}) that runs on one device: several are a config error. */
    public static Devices.Resolved resolveOneDevice(DeviceSpec spec, Precision precision, String what) {
        Devices.Resolved d = resolveDevice(spec, precision);
        if (d.devices().size() > 1) {
            throw new ConfigException("device: " + spec + " names " + d.devices().size() + " devices (" + d.names()
                    + "); " + what + " runs on one device: name one, e.g. gpu:" + d.primary().getDeviceId());
        }
        return d;
    }

    /** Runs to the end of the schedule. */
    public TrainingLoop.Result run() throws IOException {
        return run(Long.MAX_VALUE);
    }

    /**
     * Runs at most {@code maxSteps} steps of the schedule (then checkpoints and returns; a later call resumes).
     * The backbone is exported when the schedule is complete.
     */
    public TrainingLoop.Result run(long maxSteps) throws IOException {
        long samples = data.samplesPerEpoch();
        long stepsPerEpoch = samples / config.batchSize();
        if (stepsPerEpoch < 1) {
            throw new ConfigException("batch_size: the dataset " + data.describe() + " has " + samples
                    + " samples, fewer than one batch of " + config.batchSize());
        }
        PretrainConfig pc = config.toPretrainConfig(stepsPerEpoch);
        if (config.torchThreads() > 0) {
            Torch.configure(config.torchThreads()); // before the device check loads the engine
        }
        Devices.Resolved devices = resolveDevice(config.device(), config.precision());
        BatchAssembler assembler = new BatchAssembler(pc, config.seed());
        TrainingLoop.Builder<BatchAssembler.Pair> loop = TrainingLoop.<BatchAssembler.Pair>builder()
                .settings(new TrainingLoop.Settings(config.batchSize(), config.seed(), config.output(),
                        config.torchThreads()))
                .identity(new TrainingLoop.Identity(config.identity(dataHash()), configHash(), data.describe()))
                .device(devices.line(), devices.names())
                .learner(() -> new PretrainLearner(pc, config.batchSplit(devices.devices()), assembler))
                .source((start, warn) -> data.open(assembler, config.batchSize(), config.seed(), start, warn))
                .steps(pc.learningRate().totalSteps(), stepsPerEpoch)
                .progress(progress)
                .exportAt(exportSteps);
        listeners.forEach(loop::listener);
        return loop.build().run(maxSteps);
    }
}
