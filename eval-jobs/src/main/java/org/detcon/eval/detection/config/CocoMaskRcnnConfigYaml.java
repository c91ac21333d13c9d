package org.detcon.eval.detection.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.YamlDocument;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.ConfigMapping;
import org.detcon.trainer.run.OutputConfig;
import org.detcon.trainer.run.TrainConfigYaml;

/**
 * Reads a {@link CocoMaskRcnnConfig} from YAML. Defaults are the paper's 1× protocol (spec §7a) and torchvision's
 * {@code maskrcnn_resnet50_fpn} constants; unknown fields and wrong types are errors naming the field.
 * <pre>
 * task: coco-maskrcnn
 * backbone: {mode: finetune}          # finetune | frozen_bn | frozen
 * input_size: 1024                    # longer side, padded square
 * batch_size: 16
 * iterations: 90000
 * optimizer: {lr: 0.02, momentum: 0.9, weight_decay: 1.0e-4, warmup_steps: 1000, warmup_factor: 0.001,
 *             milestones: [60000, 80000], gamma: 0.1}
 * model:
 *   fpn_channels: 256
 *   anchor_sizes: [32, 64, 128, 256, 512]
 *   aspect_ratios: [0.5, 1.0, 2.0]
 *   rpn: {pre_nms_top_n_train: 2000, pre_nms_top_n_test: 1000, post_nms_top_n_train: 2000,
 *         post_nms_top_n_test: 1000, nms: 0.7, fg_iou: 0.7, bg_iou: 0.3, batch_size_per_image: 256,
 *         positive_fraction: 0.5}
 *   roi_heads: {box_pool: 7, mask_pool: 14, sampling_ratio: 2, aligned: false, representation: 1024,
 *               mask_layers: 4, mask_channels: 256, fg_iou: 0.5, bg_iou: 0.5, batch_size_per_image: 512,
 *               positive_fraction: 0.25, score_thresh: 0.05, nms: 0.5, detections_per_image: 100}
 * eval: {every: 0, batch_size: 2}     # every N steps besides the end (0: only at the end)
 * output: {checkpoint_every: 5000, keep_checkpoints: 3, log_every: 20}
 * seed: 0
 * torch_threads: 0                    # 0: PyTorch's default
 * device: auto                        # auto | cpu: the detector trains on the CPU (a GPU is refused)
 * </pre>
 */
public final class CocoMaskRcnnConfigYaml {

    public static final String TASK = "coco-maskrcnn";
    private CocoMaskRcnnConfigYaml() {
    }

    /** Reads a recipe file (duplicate keys are errors), writing to {@code outputUri}. */
    public static CocoMaskRcnnConfig load(Path file, String outputUri) {
        try {
            return parse(YamlDocument.read(file).root(), file.toString(), outputUri);
        } catch (ConfigFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Reads a recipe from YAML text ({@code what} names it in errors), writing to {@code outputUri}. */
    public static CocoMaskRcnnConfig parse(String yaml, String what, String outputUri) {
        try {
            return parse(YamlDocument.parse(yaml, what).root(), what, outputUri);
        } catch (ConfigFileException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Reads a recipe from its YAML tree (e.g. after {@code --set} overrides were applied to it). */
    public static CocoMaskRcnnConfig parse(JsonNode root, String what, String outputUri) {
        return read(root, what, outputUri, new TreeSet<>());
    }

    /** Every field a recipe can set, as dotted paths ({@code optimizer.lr}, {@code model.rpn.nms}, ...). */
    public static Set<String> fields() {
        Set<String> leaves = new TreeSet<>();
        ObjectNode probe = JsonNodeFactory.instance.objectNode();
        for (String section : new String[] {"backbone", "optimizer", "model", "eval", "output"}) {
            probe.putObject(section);
        }
        ((ObjectNode) probe.get("model")).putObject("rpn");
        ((ObjectNode) probe.get("model")).putObject("roi_heads");
        read(probe, "probe", "probe", leaves);
        return Collections.unmodifiableSet(leaves);
    }

    private static CocoMaskRcnnConfig read(JsonNode root, String what, String outputUri, Set<String> leaves) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(what + ": expected a YAML mapping of fields");
        }
        ConfigMapping r = new ConfigMapping(root, "", leaves);
        String task = r.text("task", TASK, false);
        if (!TASK.equals(task)) {
            throw new ConfigException("task: this recipe is for '" + task + "', not " + TASK);
        }
        ConfigMapping bb = r.obj("backbone");
        BackboneMode mode;
        try {
            mode = BackboneMode.of(bb.text("mode", "finetune", false));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        int inputSize = r.integer("input_size", 1024);
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new ConfigException("input_size: must be a multiple of 32 (>= 32), got " + inputSize);
        }
        int batch = positive(r.integer("batch_size", 16), "batch_size");
        long iterations = r.longInt("iterations", 90_000);
        if (iterations <= 0) {
            throw new ConfigException("iterations: must be positive, got " + iterations);
        }
        ConfigMapping o = r.obj("optimizer");
        CocoMaskRcnnConfig.Optimizer opt = new CocoMaskRcnnConfig.Optimizer(o.number("lr", 0.02),
                o.number("momentum", 0.9), o.number("weight_decay", 1e-4), o.longInt("warmup_steps", 1000),
                o.number("warmup_factor", 0.001), longs(o.integers("milestones", new int[] {60_000, 80_000})),
                o.number("gamma", 0.1));
        try {
            opt.schedule(iterations);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer: " + e.getMessage());
        }
        MaskRcnnConfig tv = MaskRcnnConfig.torchvision(2);
        ConfigMapping m = r.obj("model");
        List<Integer> anchors = java.util.Arrays.stream(m.integers("anchor_sizes", new int[] {32, 64, 128, 256, 512}))
                .boxed().toList();
        if (anchors.size() != 5) {
            throw new ConfigException("model.anchor_sizes: one size per level P2..P6 (5), got " + anchors);
        }
        List<Double> ratios = java.util.Arrays.stream(m.numbers("aspect_ratios", tv.aspectRatioArray())).boxed()
                .toList();
        int fpn = positive(m.integer("fpn_channels", tv.fpnChannels()), "model.fpn_channels");
        ConfigMapping p = m.obj("rpn");
        MaskRcnnConfig.Rpn rt = tv.rpn();
        MaskRcnnConfig.Rpn rpn = new MaskRcnnConfig.Rpn(p.integer("pre_nms_top_n_train", rt.preNmsTopNTrain()),
                p.integer("pre_nms_top_n_test", rt.preNmsTopNTest()),
                p.integer("post_nms_top_n_train", rt.postNmsTopNTrain()),
                p.integer("post_nms_top_n_test", rt.postNmsTopNTest()), p.number("nms", rt.nmsThresh()),
                p.number("fg_iou", rt.fgIouThresh()), p.number("bg_iou", rt.bgIouThresh()),
                p.integer("batch_size_per_image", rt.batchSizePerImage()),
                p.number("positive_fraction", rt.positiveFraction()));
        ConfigMapping h = m.obj("roi_heads");
        MaskRcnnConfig.RoiHeads ht = tv.roiHeads();
        MaskRcnnConfig.RoiHeads heads = new MaskRcnnConfig.RoiHeads(h.integer("box_pool", ht.boxPoolSize()),
                h.integer("mask_pool", ht.maskPoolSize()), h.integer("sampling_ratio", ht.samplingRatio()),
                h.bool("aligned", ht.aligned()), h.integer("representation", ht.representationSize()),
                h.integer("mask_layers", ht.maskLayers()), h.integer("mask_channels", ht.maskChannels()),
                h.number("fg_iou", ht.fgIouThresh()), h.number("bg_iou", ht.bgIouThresh()),
                h.integer("batch_size_per_image", ht.batchSizePerImage()),
                h.number("positive_fraction", ht.positiveFraction()), h.number("score_thresh", ht.scoreThresh()),
                h.number("nms", ht.nmsThresh()), h.integer("detections_per_image", ht.detectionsPerImage()));
        if (heads.samplingRatio() <= 0) {
            throw new ConfigException("model.roi_heads.sampling_ratio: must be positive (adaptive sampling is only "
                    + "used for mask targets), got " + heads.samplingRatio());
        }
        MaskRcnnConfig model = new MaskRcnnConfig(2, fpn, anchors, ratios, rpn, heads, mode);
        ConfigMapping e = r.obj("eval");
        CocoMaskRcnnConfig.Eval eval = new CocoMaskRcnnConfig.Eval(e.longInt("every", 0),
                positive(e.integer("batch_size", 2), "eval.batch_size"));
        ConfigMapping out = r.obj("output");
        OutputConfig output = new OutputConfig(outputUri, out.longInt("checkpoint_every", 5000),
                out.integer("keep_checkpoints", 3), out.longInt("log_every", 20));
        long seed = r.longInt("seed", 0);
        int threads = r.integer("torch_threads", 0);
        DeviceSpec device = TrainConfigYaml.device(r.text("device", "auto", false));
        for (ConfigMapping x : new ConfigMapping[] {r, bb, o, m, p, h, e, out}) {
            x.rejectUnknown();
        }
        return new CocoMaskRcnnConfig(mode, inputSize, batch, iterations, opt, model, eval, output, seed, threads,
                device);
    }

    private static List<Long> longs(int[] v) {
        return java.util.Arrays.stream(v).mapToObj(x -> (long) x).toList();
    }

    private static int positive(int v, String field) {
        if (v <= 0) {
            throw new ConfigException(field + ": must be positive, got " + v);
        }
        return v;
    }
}
