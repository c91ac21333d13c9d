package org.detcon.eval.finetune;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.SgdConfig;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.OutputConfig;
import org.detcon.trainer.schedule.LrSchedule;
import org.detcon.trainer.schedule.PolySchedule;
import org.detcon.trainer.schedule.StepDecaySchedule;

/**
 * One fine-tuning run as {@code detcon eval finetune --config FILE.yaml} describes it (see
 * {@link FinetuneConfigYaml} for the file format and the per-task defaults). Immutable and validated. The learning
 * rate may be a list ({@code optimizer.lr: [0.003, 0.01, 0.03]}, the protocols' LR sweep): the job then fine-tunes
 * once per value ({@link #withLr}) and reports the best. {@code device} is where it trains and evaluates (resolved when
 * the job starts).
 */
public record FinetuneConfig(Task task, Backbone backbone, Head head, Data data, int batchSize, long steps,
        double epochs, Optimizer optimizer, OutputConfig output, long seed, int torchThreads, DeviceSpec device) {

    /**
     * ResNet depth and width (0: take them from the export; otherwise the export must match) and how the backbone
     * trains.
     */
    public record Backbone(int depth, int width, BackboneMode mode) {
    }

    /** Segmentation: FCN channels and dilation. Depth: the up-projection channels. */
    public record Head(int channels, int dilation, int[] upChannels) {
    }

    /**
     * Splits (list names), at most this many train / val images (0: all), the training crop (width × height, at a
     * random or the centre position of the scaled image), the random scale range (a fixed scale when equal), the
     * horizontal flip and the colour jitter strength (0: none) of training; evaluation runs on the whole image
     * (segmentation) or the scaled centre crop (depth).
     */
    public record Data(String trainSplit, String valSplit, int maxTrain, int maxVal, int cropWidth, int cropHeight,
            boolean randomCrop, double scaleMin, double scaleMax, boolean flip, double colorJitter) {
    }

    /** SGD with momentum, its learning rate(s) and the step (×γ at fractions of the run) or poly schedule. */
    public record Optimizer(double[] lr, double momentum, double weightDecay, String schedule, double[] milestones,
            double gamma, double power) {
    }

    public FinetuneConfig {
        check(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        check(batchSize >= 2 || backbone.mode() != BackboneMode.FINETUNE, "batch_size",
                "must be >= 2 when the backbone trains with batch statistics (backbone.mode: finetune)");
        check((steps > 0) != (epochs > 0), "steps", "give exactly one of steps and epochs (got steps=" + steps
                + ", epochs=" + epochs + ")");
        check(backbone.depth() == 0 || validResNet(backbone.depth(), backbone.width()), "backbone.depth",
                "ResNet depth must be 18, 34, 50, 101, 152 or 200 and width 1 or 2, got " + backbone.depth() + "x"
                        + backbone.width());
        check(optimizer.lr().length >= 1, "optimizer.lr", "give a learning rate or a list of them");
        for (double lr : optimizer.lr()) {
            check(lr > 0, "optimizer.lr", "must be > 0, got " + lr);
        }
        check(optimizer.momentum() >= 0 && optimizer.momentum() < 1, "optimizer.momentum", "must be in [0, 1)");
        check(optimizer.weightDecay() >= 0, "optimizer.weight_decay", "must be >= 0");
        check(optimizer.schedule().equals("step") || optimizer.schedule().equals("poly"), "optimizer.schedule",
                "step or poly, got '" + optimizer.schedule() + "'");
        for (double m : optimizer.milestones()) {
            check(m > 0 && m <= 1, "optimizer.milestones", "fractions of the run in (0, 1], got " + m);
        }
        check(optimizer.gamma() > 0, "optimizer.gamma", "must be > 0");
        check(optimizer.power() > 0, "optimizer.power", "must be > 0");
        check(data.cropWidth() >= 16 && data.cropHeight() >= 16, "data.crop", "must be at least 16x16, got "
                + data.cropWidth() + "x" + data.cropHeight());
        check(data.scaleMin() > 0 && data.scaleMax() >= data.scaleMin() && data.scaleMax() <= 8, "data.scale",
                "must be 0 < min <= max <= 8, got [" + data.scaleMin() + ", " + data.scaleMax() + "]");
        check(data.colorJitter() >= 0 && data.colorJitter() < 1, "data.color_jitter", "must be in [0, 1)");
        check(data.maxTrain() >= 0 && data.maxVal() >= 0, "data.max_train", "must be >= 0 (0: all)");
        if (task.segmentation()) {
            check(head.channels() >= 1 && head.dilation() >= 1, "head", "channels and dilation must be >= 1");
        } else {
            check(head.upChannels().length >= 1, "head.up_channels", "give at least one up-projection");
            for (int c : head.upChannels()) {
                check(c >= 1, "head.up_channels", "must be >= 1, got " + c);
            }
        }
        check(torchThreads >= 0, "torch_threads", "must be >= 0 (0: PyTorch's default)");
        check(device != null, "device", "is required");
    }

    private static boolean validResNet(int depth, int width) {
        try {
            new ResNetConfig(depth, width);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new ConfigException(field + ": " + message);
        }
    }

    /** Whether the learning rate is a sweep (several values). */
    public boolean lrSweep() {
        return optimizer.lr().length > 1;
    }

    /** The single learning rate of a run (not a sweep). */
    public double lr() {
        if (lrSweep()) {
            throw new IllegalStateException("optimizer.lr is a sweep of " + optimizer.lr().length + " values");
        }
        return optimizer.lr()[0];
    }

    /** The same run at one learning rate. */
    public FinetuneConfig withLr(double lr) {
        Optimizer o = new Optimizer(new double[] {lr}, optimizer.momentum(), optimizer.weightDecay(),
                optimizer.schedule(), optimizer.milestones(), optimizer.gamma(), optimizer.power());
        return new FinetuneConfig(task, backbone, head, data, batchSize, steps, epochs, o, output, seed,
                torchThreads, device);
    }

    /** The same run writing to {@code uri}. */
    public FinetuneConfig withOutput(String uri) {
        return new FinetuneConfig(task, backbone, head, data, batchSize, steps, epochs, optimizer,
                output.withUri(uri), seed, torchThreads, device);
    }

    /** The run's length in steps, given the steps in one epoch of the training split. */
    public long totalSteps(long stepsPerEpoch) {
        long total = steps > 0 ? steps : Math.round(epochs * stepsPerEpoch);
        if (total < 1) {
            throw new ConfigException("epochs: " + epochs + " epochs of " + stepsPerEpoch + " steps is no step");
        }
        return total;
    }

    /** The learning-rate schedule of a run of {@code total} steps. */
    public LrSchedule schedule(long total) {
        return optimizer.schedule().equals("poly") ? new PolySchedule(lr(), total, optimizer.power())
                : StepDecaySchedule.ofFractions(lr(), total, optimizer.milestones(), optimizer.gamma());
    }

    public SgdConfig sgd() {
        return new SgdConfig(optimizer.momentum(), optimizer.weightDecay());
    }

    /**
     * The config as a mapping with every field (what {@code result.json} records and sweeps hash): the file format
     * of {@link FinetuneConfigYaml}, without the output and the device (which changes speed, not results;
     * {@code result.json} records it on its own).
     */
    public ObjectNode toTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("task", task.key());
        o.putObject("backbone").put("depth", backbone.depth()).put("width", backbone.width())
                .put("mode", backbone.mode().key());
        ObjectNode h = o.putObject("head");
        if (task.segmentation()) {
            h.put("channels", head.channels()).put("dilation", head.dilation());
        } else {
            ArrayNode up = h.putArray("up_channels");
            for (int c : head.upChannels()) {
                up.add(c);
            }
        }
        ObjectNode d = o.putObject("data");
        d.put("train_split", data.trainSplit()).put("val_split", data.valSplit()).put("max_train", data.maxTrain())
                .put("max_val", data.maxVal());
        d.putArray("crop").add(data.cropWidth()).add(data.cropHeight());
        d.put("crop_position", data.randomCrop() ? "random" : "center");
        d.putArray("scale").add(data.scaleMin()).add(data.scaleMax());
        d.put("flip", data.flip()).put("color_jitter", data.colorJitter());
        o.put("batch_size", batchSize);
        if (steps > 0) {
            o.put("steps", steps);
        } else {
            o.put("epochs", epochs);
        }
        ObjectNode opt = o.putObject("optimizer");
        if (lrSweep()) {
            ArrayNode lrs = opt.putArray("lr");
            for (double lr : optimizer.lr()) {
                lrs.add(lr);
            }
        } else {
            opt.put("lr", optimizer.lr()[0]);
        }
        opt.put("momentum", optimizer.momentum()).put("weight_decay", optimizer.weightDecay())
                .put("schedule", optimizer.schedule());
        ArrayNode ms = opt.putArray("milestones");
        for (double m : optimizer.milestones()) {
            ms.add(m);
        }
        opt.put("gamma", optimizer.gamma()).put("power", optimizer.power());
        o.putObject("output").put("checkpoint_every", output.checkpointEvery())
                .put("keep_checkpoints", output.keepCheckpoints()).put("log_every", output.logEvery());
        o.put("seed", seed);
        o.put("torch_threads", torchThreads);
        return o;
    }
}
