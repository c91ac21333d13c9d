package org.detcon.trainer.run;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.detcon.core.hash.CanonicalJson;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.ShardLoader;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Runs one training config in process: streams batches from the shards, steps the {@link Pretrainer}, writes
 * {@code metrics.jsonl} (one JSON object per logged step: step, epoch, loss, lr, ema_tau, img_per_s,
 * data_wait, bad_samples, bad_shards), checkpoints every {@code checkpoint_every} steps and at the end, and exports
 * the backbone ({@code backbone/}) when done. Output layout under {@code output.uri} (a local path or an
 * {@code s3://} prefix): {@code run.json} (the config's identity and hash), {@code step-NNNNNNNN/} + {@code latest}
 * ({@link Checkpoints}), {@code metrics.jsonl} ({@link MetricsLog}), {@code backbone/} ({@link BackboneExport}).
 *
 * <p>An output that already holds a checkpoint of the same config is resumed from {@code latest} (weights,
 * momentum, step, data position: the losses continue as in an uninterrupted run); one of another config is refused.
 * A NaN or infinite loss, or non-finite parameters at checkpoint time, stops the run with
 * {@link TrainingDivergedException} before anything is saved, so {@code latest} still points at the last good
 * checkpoint.
 */
public final class TrainingRun {

    public static final String RUN_FILE = "run.json";
    public static final String METRICS_FILE = MetricsLog.FILE;
    public static final String BACKBONE = "backbone";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig config;
    private final PrintWriter progress;
    private final String outputUri;

    /** What a finished run did; {@code output} is the output store's URI. */
    public record Result(long startStep, long steps, float firstLoss, float lastLoss, ShardLoader.Stats data,
            double seconds, long peakRssBytes, String output) {
    }

    /** {@code progress}: where the progress bar and warnings go (stderr), or null for none. */
    public TrainingRun(TrainConfig config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
        try (ObjectStore store = open(config.output().uri())) {
            this.outputUri = store.uri();
        } catch (IOException e) {
            throw new ConfigException("output.uri: " + e.getMessage(), e);
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
        long samples = ShardLoader.manifestSamples(config.data().uri());
        long stepsPerEpoch = samples / config.batchSize();
        if (stepsPerEpoch < 1) {
            throw new ConfigException("batch_size: the dataset " + config.data().uri() + " has " + samples
                    + " samples, fewer than one batch of " + config.batchSize());
        }
        PretrainConfig pc = config.toPretrainConfig(stepsPerEpoch);
        long total = pc.learningRate().totalSteps();
        Optional<String> latest = prepareOutput(output);
        if (config.torchThreads() > 0) {
            Torch.configure(config.torchThreads());
        }
        ProgressBar bar = new ProgressBar(progress, total, config.batchSize());
        long t0 = System.nanoTime();
        // the initial weights come from the engine's generator: seeded, a config gives the same run every time
        Torch.engine().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        try (Pretrainer p = new Pretrainer(pc, config.batchSize())) {
            ShardLoader.Position position = ShardLoader.Position.START;
            if (latest.isPresent()) {
                Checkpoints.State s = Checkpoints.restore(output, latest.get(), p);
                position = new ShardLoader.Position(s.epoch(), s.position());
                bar.message("resuming " + outputUri + " from " + latest.get() + " (step " + s.step() + ")");
            }
            long start = p.stepCount();
            long end = Math.min(total, start + Math.max(0, Math.min(maxSteps, total)));
            BatchAssembler assembler = new BatchAssembler(pc, config.seed());
            float first = Float.NaN;
            float last = Float.NaN;
            ShardLoader.Stats stats;
            try (ShardLoader loader = new ShardLoader(config.loaderConfig(), assembler, config.batchSize(),
                    config.seed(), position, w -> bar.message("warning: " + w));
                 MetricsLog metrics = MetricsLog.open(output, start)) {
                long windowStart = System.nanoTime();
                long windowWait = 0;
                long windowSteps = 0;
                double imgPerSec = 0;
                double wait = 0;
                for (long k = start; k < end; k++) {
                    ShardLoader.Batch batch = loader.next();
                    float loss;
                    try (NDManager m = Torch.newManager()) {
                        loss = p.step(assembler.assemblePairs(batch.pairs(), m));
                    }
                    if (!Float.isFinite(loss)) {
                        throw diverged(output, k, "loss is " + loss);
                    }
                    position = batch.next();
                    if (Float.isNaN(first)) {
                        first = loss;
                    }
                    last = loss;
                    windowSteps++;
                    long now = System.nanoTime();
                    if (now - windowStart > 2_000_000_000L || k + 1 == end || k == start) {
                        long waited = loader.stats().waitNanos();
                        imgPerSec = windowSteps * config.batchSize() / ((now - windowStart) / 1e9);
                        wait = (waited - windowWait) / (double) (now - windowStart);
                        windowStart = now;
                        windowWait = waited;
                        windowSteps = 0;
                    }
                    if ((k + 1) % config.output().logEvery() == 0 || k + 1 == end) {
                        ShardLoader.Stats s = loader.stats();
                        ObjectNode o = JSON.createObjectNode();
                        o.put("step", k);
                        o.put("epoch", position.epoch());
                        o.put("loss", loss);
                        o.put("lr", pc.learningRate().at(k));
                        if (pc.ema() != null) {
                            o.put("ema_tau", pc.ema().tau(k));
                        }
                        o.put("img_per_s", round(imgPerSec));
                        o.put("data_wait", round(wait));
                        o.put("bad_samples", s.badSamples());
                        o.put("bad_shards", s.badShards());
                        metrics.append(JSON.writeValueAsString(o));
                    }
                    bar.update(k + 1, loss, imgPerSec, wait, k + 1 == end);
                    if ((k + 1) % config.output().checkpointEvery() == 0 || k + 1 == end) {
                        if (!finiteParameters(p)) {
                            throw diverged(output, k, "parameters are no longer finite after the update");
                        }
                        Checkpoints.save(output, p, position.epoch(), position.index(), config.seed());
                        metrics.publish();
                        Checkpoints.prune(output, config.output().keepCheckpoints());
                    }
                }
                stats = loader.stats();
            } finally {
                bar.finish();
            }
            if (p.stepCount() == total) {
                try (ObjectStore backbone = ObjectStores.open(output.uri(BACKBONE))) {
                    BackboneExport.write(backbone, p);
                }
            }
            return new Result(start, p.stepCount() - start, first, last, stats, (System.nanoTime() - t0) / 1e9,
                    ProcessMemory.peakRssBytes(), outputUri);
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static TrainingDivergedException diverged(ObjectStore output, long step, String what)
            throws IOException {
        Optional<String> good = Checkpoints.latest(output).map(output::uri);
        return new TrainingDivergedException(step, String.format(Locale.ROOT,
                "training diverged at step %d: %s; stopped without saving. The last good checkpoint is %s. Lower"
                        + " optimizer.base_lr or check the data.", step, what,
                good.orElse("none (no checkpoint was written yet)")));
    }

    private static boolean finiteParameters(Pretrainer p) {
        List<ai.djl.nn.Block> blocks = new ArrayList<>();
        blocks.add(p.online());
        if (p.target() != null) {
            blocks.add(p.target());
        }
        for (ai.djl.nn.Block b : blocks) {
            for (Pair<String, Parameter> e : b.getParameters()) {
                for (float f : e.getValue().getArray().toFloatArray()) {
                    if (!Float.isFinite(f)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Creates the output, writes {@code run.json} or checks it against this config; returns the checkpoint to
     * resume from, if any.
     */
    private Optional<String> prepareOutput(ObjectStore output) throws IOException {
        ObjectNode identity = config.identity();
        String hash = config.hash();
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
