package org.detcon.trainer.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.detcon.core.hash.ContentHash;
import org.detcon.trainer.data.LoaderConfig;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;

/**
 * One training run as {@code detcon train --config FILE.yaml} describes it (see {@link TrainConfigYaml} for the
 * file format and defaults). Immutable and validated: every field is set (defaults filled in) and consistent.
 * Exactly one of {@code steps} / {@code epochs} is positive; warmup likewise in steps or epochs.
 * {@code microBatch} (default {@code batchSize}) divides the batch: the rows a device forwards at once. {@code device}
 * is where it computes (resolved when the run starts); {@code precision} its arithmetic (rejected here when it cannot
 * run on an explicit {@code cpu} device).
 */
public record TrainConfig(Method method, Backbone backbone, int imageSize, int batchSize, int microBatch, long steps,
        double epochs,
        Optimizer optimizer, Ema ema, Heads heads, Masks masks, double temperature, Data data, OutputConfig output,
        long seed, int torchThreads, DeviceSpec device, Precision precision) {

    /** ResNet v1.5 depth and width multiplier. */
    public record Backbone(int depth, int width) {
    }

    /** LARS and the learning-rate schedule; warmup in steps (warmupSteps ≥ 0) or epochs (warmupSteps &lt; 0). */
    public record Optimizer(double baseLr, double weightDecay, long warmupSteps, double warmupEpochs,
            double momentum, double eta) {
    }

    /** Target EMA base decay (DetCon_B / BYOL); null for the others. */
    public record Ema(double baseTau) {
    }

    /** Projector (and, with a target network, predictor) MLP sizes. */
    public record Heads(int hidden, int out) {
    }

    /** Mask set name in the shards (null: none, for BYOL/SimCLR), masks per view, soft pooling, grid fallback. */
    public record Masks(String set, int perView, boolean soft, int gridFallback) {
    }

    /** Dataset URI (null when the examples are given in memory) and loader knobs. */
    public record Data(String uri, int shuffleBuffer, int interleave, int threads, int prefetch) {
    }

    public TrainConfig {
        check(imageSize > 0 && imageSize % ResNetConfig.stride() == 0, "image_size",
                "must be a positive multiple of 32, got " + imageSize);
        check(batchSize >= 2, "batch_size", "must be at least 2, got " + batchSize);
        check(microBatch >= 1 && batchSize % microBatch == 0, "micro_batch", "must divide batch_size ("
                + batchSize + ") into equal micro-batches, got " + microBatch);
        check((steps > 0) != (epochs > 0), "steps", "give exactly one of steps and epochs (got steps=" + steps
                + ", epochs=" + epochs + ")");
        check(!(method.hasTarget() && ema == null), "ema", method + " needs an EMA target decay");
        check(!(!method.hasTarget() && ema != null), "ema", method + " has no target network");
        check(ema == null || (ema.baseTau() >= 0 && ema.baseTau() <= 1), "ema.base_tau", "must be in [0, 1]");
        check(optimizer.baseLr() >= 0, "optimizer.base_lr", "must be >= 0, got " + optimizer.baseLr());
        check(optimizer.weightDecay() >= 0, "optimizer.weight_decay", "must be >= 0");
        check(optimizer.momentum() >= 0 && optimizer.momentum() < 1, "optimizer.momentum", "must be in [0, 1)");
        check(optimizer.eta() > 0, "optimizer.eta", "must be > 0");
        check(optimizer.warmupSteps() >= 0 || optimizer.warmupEpochs() >= 0, "optimizer.warmup_steps",
                "must be >= 0");
        check(heads.hidden() > 0 && heads.out() > 0, "heads", "sizes must be positive");
        check(masks.perView() > 0, "masks.per_view", "must be positive");
        check(masks.gridFallback() >= 0, "masks.grid_fallback", "must be >= 0");
        check(!(method == Method.DETCON_B || method == Method.DETCON_S) || masks.set() != null, "masks.set",
                method + " needs a mask set (e.g. fh-s1000, gt or grid-5)");
        check(temperature > 0, "loss.temperature", "must be > 0");
        check(data.shuffleBuffer() >= 1, "data.shuffle_buffer", "must be >= 1");
        check(data.interleave() >= 1, "data.interleave", "must be >= 1");
        check(data.threads() >= 1, "data.threads", "must be >= 1");
        check(data.prefetch() >= 1, "data.prefetch", "must be >= 1");
        check(torchThreads >= 0, "torch_threads", "must be >= 0 (0: PyTorch's default)");
        check(device != null, "device", "is required");
        check(precision != null, "precision", "is required");
        if (device.isCpu()) {
            String problem = precision.problemOn(List.of(Device.cpu()), null);
            check(problem == null, "precision", problem);
        }
        try {
            new ResNetConfig(backbone.depth(), backbone.width());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("backbone: " + e.getMessage(), e);
        }
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new ConfigException(field + ": " + message);
        }
    }

    /** The networks' and optimisation's config, given the steps per epoch of the dataset. */
    public PretrainConfig toPretrainConfig(long stepsPerEpoch) {
        long total = steps > 0 ? steps : Math.round(epochs * stepsPerEpoch);
        long warmup = optimizer.warmupSteps() >= 0 ? optimizer.warmupSteps()
                : Math.round(optimizer.warmupEpochs() * stepsPerEpoch);
        if (total < 1) {
            throw new ConfigException("epochs: " + epochs + " epochs of " + stepsPerEpoch + " steps is no step");
        }
        if (warmup >= total) {
            throw new ConfigException("optimizer.warmup_" + (optimizer.warmupSteps() >= 0 ? "steps" : "epochs")
                    + ": warmup (" + warmup + " steps) must be shorter than the run (" + total + " steps)");
        }
        LearningRateSchedule lr = new LearningRateSchedule(optimizer.baseLr(), batchSize, warmup, total);
        HeadConfig head = new HeadConfig(heads.hidden(), heads.out());
        boolean t = method.hasTarget();
        return new PretrainConfig(method, new ResNetConfig(backbone.depth(), backbone.width()), head, t ? head : null,
                imageSize, new MaskConfig(imageSize / ResNetConfig.stride(), masks.perView(), masks.soft()),
                new DetConLossConfig(temperature),
                new LarsConfig(optimizer.weightDecay(), optimizer.momentum(), optimizer.eta()), lr,
                t ? new EmaSchedule(ema.baseTau(), total) : null);
    }

    /**
     * The global batch cut over {@code devices} (one replica each; the first is the primary) into micro-batches of at
     * most {@code micro_batch} rows: the default (the whole batch) means each device's whole share at once.
     */
    public BatchSplit batchSplit(List<Device> devices) {
        check(batchSize % devices.size() == 0, "batch_size", batchSize + " does not split evenly over "
                + devices.size() + " devices");
        try {
            return new BatchSplit(batchSize, Math.min(microBatch, batchSize / devices.size()), devices);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("micro_batch: " + e.getMessage(), e);
        }
    }

    /** How the shard loader reads {@code data.uri}. */
    public LoaderConfig loaderConfig() {
        check(data.uri() != null && !data.uri().isBlank(), "data.uri", "is required");
        boolean needsMasks = method == Method.DETCON_B || method == Method.DETCON_S;
        return new LoaderConfig(data.uri(), needsMasks ? masks.set() : null, masks.gridFallback(),
                data.shuffleBuffer(), data.interleave(), data.threads(), data.prefetch());
    }

    /**
     * What determines the run's results, as JSON: everything but the output, thread counts, prefetch depth and
     * device (which change speed, not numbers; the device is recorded in {@code run.json} beside the identity), with
     * the data named by its content hash ({@code dataSha256}) instead of its location, so that a moved dataset or
     * working directory keeps its runs. {@code precision} is in it when not fp32.
     */
    public ObjectNode identity(String dataSha256) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("method", method.name());
        o.putObject("backbone").put("depth", backbone.depth()).put("width", backbone.width());
        o.put("image_size", imageSize);
        o.put("batch_size", batchSize);
        if (microBatch != batchSize) { // absent when whole: the identities of earlier runs are unchanged
            o.put("micro_batch", microBatch);
        }
        o.put("steps", steps);
        o.put("epochs", epochs);
        o.putObject("optimizer").put("base_lr", optimizer.baseLr()).put("weight_decay", optimizer.weightDecay())
                .put("warmup_steps", optimizer.warmupSteps()).put("warmup_epochs", optimizer.warmupEpochs())
                .put("momentum", optimizer.momentum()).put("eta", optimizer.eta());
        if (ema != null) {
            o.putObject("ema").put("base_tau", ema.baseTau());
        }
        o.putObject("heads").put("hidden", heads.hidden()).put("out", heads.out());
        ObjectNode m = o.putObject("masks");
        m.put("set", masks.set());
        m.put("per_view", masks.perView()).put("soft", masks.soft()).put("grid_fallback", masks.gridFallback());
        o.putObject("loss").put("temperature", temperature);
        o.putObject("data").put("sha256", dataSha256).put("shuffle_buffer", data.shuffleBuffer())
                .put("interleave", data.interleave());
        o.put("seed", seed);
        if (precision != Precision.FP32) { // absent for fp32, so the runs made before the key existed keep their hash
            o.put("precision", precision.key());
        }
        return o;
    }

    /** sha256 of the canonical JSON of {@link #identity(String)}. */
    public String hash(String dataSha256) {
        return ContentHash.configHash(identity(dataSha256));
    }
}
