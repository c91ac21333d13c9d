package org.detcon.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.YamlDocument;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.ConfigMapping;
import org.detcon.trainer.run.OutputConfig;
import org.detcon.trainer.run.TrainConfigYaml;

/**
 * Reads a fine-tuning config from YAML ({@code configs/eval/}). Only {@code task} is required; every other field
 * defaults to the task's protocol (detcon-spec.md section 7a). Unknown fields and wrong types are errors naming
 * the field; {@link #fields()} lists the dotted paths {@code --set} may name. The output location is not part of
 * the file: it is {@code --out} (or the sweep step's folder).
 * <pre>
 * task: voc-seg                      # voc-seg | cityscapes-seg | nyu-depth
 * backbone: {depth: 50, width: 1, mode: finetune}   # depth 0: the export's; mode finetune | frozen_bn | frozen
 * head: {channels: 256, dilation: 6}                 # depth: {up_channels: [512, 256, 128, 64]}
 * data:
 *   train_split: train_aug           # VOC: train | train_aug | trainval; Cityscapes: train; NYU: train
 *   val_split: val                   # NYU .mat: test
 *   max_train: 0                     # at most this many images (0: all)
 *   max_val: 0
 *   crop: [513, 513]                 # width, height (depth: [304, 228])
 *   crop_position: random            # random | center (depth: center)
 *   scale: [0.5, 2.0]                # random scale range (depth: [0.5, 0.5], the halving)
 *   flip: true
 *   color_jitter: 0.0                # depth: 0.2 (brightness ±s, contrast and saturation ×[1−s, 1+s])
 * batch_size: 16                     # depth: 256
 * epochs: 45                         # or steps: N (depth: steps: 7500); Cityscapes: 160 epochs
 * optimizer: {lr: 0.01, momentum: 0.9, weight_decay: 1.0e-4, schedule: step, milestones: [0.7, 0.9],
 *             gamma: 0.1, power: 0.9}   # lr may be a list: one run per value, the best reported
 * output: {checkpoint_every: 1000, keep_checkpoints: 2, log_every: 10}
 * seed: 0
 * torch_threads: 0                   # 0: PyTorch's default
 * device: auto                       # auto | cpu | gpu | gpu:0 (not part of the identity)
 * </pre>
 */
public final class FinetuneConfigYaml {

    private static final Set<String> FIELDS = probeFields();

    private FinetuneConfigYaml() {
    }

    /** Reads a config file, writing to {@code outputUri}. */
    public static FinetuneConfig load(Path file, String outputUri) {
        try {
            return parse(YamlDocument.read(file).root(), file.toString(), outputUri);
        } catch (ConfigFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Every field a config can set, as dotted paths: what {@code --set} may name. */
    public static Set<String> fields() {
        return FIELDS;
    }

    private static Set<String> probeFields() {
        Set<String> leaves = new TreeSet<>();
        for (Task t : Task.values()) {
            ObjectNode probe = JsonNodeFactory.instance.objectNode().put("task", t.key());
            for (String s : new String[] {"backbone", "head", "data", "optimizer", "output"}) {
                probe.putObject(s);
            }
            read(probe, "probe", "probe", leaves);
        }
        return Collections.unmodifiableSet(leaves);
    }

    /** Reads a config from its YAML tree (e.g. after {@code --set} overrides were applied to it). */
    public static FinetuneConfig parse(JsonNode root, String what, String outputUri) {
        return read(root, what, outputUri, new TreeSet<>());
    }

    private static FinetuneConfig read(JsonNode root, String what, String outputUri, Set<String> leaves) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(what + ": expected a YAML mapping of fields");
        }
        ConfigMapping r = new ConfigMapping(root, "", leaves);
        Task task = Task.of(r.text("task", null, true));
        ConfigMapping bb = r.obj("backbone");
        BackboneMode m;
        try {
            m = BackboneMode.of(bb.text("mode", "finetune", false));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        FinetuneConfig.Backbone backbone = new FinetuneConfig.Backbone(bb.integer("depth", 0),
                bb.integer("width", 1), m);
        ConfigMapping h = r.obj("head");
        FinetuneConfig.Head head = task.segmentation()
                ? new FinetuneConfig.Head(h.integer("channels", 256), h.integer("dilation", 6), new int[0])
                : new FinetuneConfig.Head(0, 0, h.integers("up_channels", new int[] {512, 256, 128, 64}));
        ConfigMapping d = r.obj("data");
        int[] crop = d.integers("crop", new int[] {task.defaultCropWidth(), task.defaultCropHeight()});
        if (crop.length == 1) {
            crop = new int[] {crop[0], crop[0]};
        }
        if (crop.length != 2) {
            throw new ConfigException("data.crop: expected [width, height] or one side, got " + crop.length
                    + " values");
        }
        String position = d.text("crop_position", task.segmentation() ? "random" : "center", false);
        if (!position.equals("random") && !position.equals("center")) {
            throw new ConfigException("data.crop_position: random or center, got '" + position + "'");
        }
        double[] scale = d.numbers("scale", task.segmentation() ? new double[] {0.5, 2.0} : new double[] {0.5});
        if (scale.length == 1) {
            scale = new double[] {scale[0], scale[0]};
        }
        if (scale.length != 2) {
            throw new ConfigException("data.scale: expected [min, max] or one scale, got " + scale.length
                    + " values");
        }
        FinetuneConfig.Data data = new FinetuneConfig.Data(d.text("train_split", task.defaultTrainSplit(), false),
                d.text("val_split", task.defaultValSplit(), false), d.integer("max_train", 0),
                d.integer("max_val", 0), crop[0], crop[1], position.equals("random"), scale[0], scale[1],
                d.bool("flip", true), d.number("color_jitter", task.segmentation() ? 0 : 0.2));
        int batch = r.integer("batch_size", task.defaultBatchSize());
        long steps = r.longInt("steps", 0);
        double epochs = r.number("epochs", 0);
        if (steps <= 0 && epochs <= 0) {
            steps = task.defaultSteps();
            epochs = task.defaultEpochs();
        }
        ConfigMapping o = r.obj("optimizer");
        FinetuneConfig.Optimizer optimizer = new FinetuneConfig.Optimizer(
                o.numbers("lr", new double[] {task.defaultLr()}), o.number("momentum", 0.9),
                o.number("weight_decay", task.defaultWeightDecay()), o.text("schedule", "step", false),
                o.numbers("milestones", new double[] {0.7, 0.9}), o.number("gamma", 0.1), o.number("power", 0.9));
        ConfigMapping out = r.obj("output");
        OutputConfig output = new OutputConfig(outputUri, out.longInt("checkpoint_every", 1000),
                out.integer("keep_checkpoints", 2), out.longInt("log_every", 10));
        long seed = r.longInt("seed", 0);
        int threads = r.integer("torch_threads", 0);
        DeviceSpec device = TrainConfigYaml.device(r.text("device", "auto", false));
        for (ConfigMapping x : new ConfigMapping[] {r, bb, h, d, o, out}) {
            x.rejectUnknown();
        }
        return new FinetuneConfig(task, backbone, head, data, batch, steps, epochs, optimizer, output, seed,
                threads, device);
    }
}
