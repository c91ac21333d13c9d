package org.detcon.eval.detection.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.SgdConfig;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.OutputConfig;
import org.detcon.trainer.schedule.LinearWarmup;
import org.detcon.trainer.schedule.LrSchedule;
import org.detcon.trainer.schedule.StepDecaySchedule;

/**
 * A COCO Mask R-CNN fine-tuning recipe (the {@code coco-maskrcnn} eval; YAML in {@code configs/eval/}, read by
 * {@link CocoMaskRcnnConfigYaml}). The number of classes comes from the dataset's categories and the backbone's depth
 * and width from the export, so neither is part of the recipe.
 *
 * @param backboneMode  {@code backbone.mode}: finetune | frozen_bn | frozen
 * @param inputSize     longer image side, padded to a square (multiple of 32)
 * @param iterations    SGD steps
 * @param model         the detector's constants ({@code numClasses} is a placeholder until {@link #train})
 * @param eval          evaluation on val every N steps (0: at the end only) and its batch
 * @param output        where the run writes (the {@code --out} URI) and how often
 * @param device        {@code auto} or {@code cpu}: the detector trains on the CPU (a GPU is refused); not part of
 *                      the recipe's mapping or identity
 */
public record CocoMaskRcnnConfig(BackboneMode backboneMode, int inputSize, int batchSize, long iterations,
        Optimizer optimizer, MaskRcnnConfig model, Eval eval, OutputConfig output, long seed, int torchThreads,
        DeviceSpec device) {

    /** SGD and its schedule: linear warmup, then ×gamma at each milestone (steps). */
    public record Optimizer(double lr, double momentum, double weightDecay, long warmupSteps, double warmupFactor,
            List<Long> milestones, double gamma) {

        public Optimizer {
            milestones = List.copyOf(milestones);
        }

        /** The schedule of a run of {@code iterations} steps. */
        public LrSchedule schedule(long iterations) {
            return new LinearWarmup(new StepDecaySchedule(lr, iterations,
                    milestones.stream().mapToLong(Long::longValue).toArray(), gamma), warmupSteps, warmupFactor);
        }

        public SgdConfig sgd() {
            return new SgdConfig(momentum, weightDecay);
        }
    }

    public record Eval(long every, int batchSize) {
    }

    public CocoMaskRcnnConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input_size must be a multiple of 32, got " + inputSize);
        }
        if (batchSize <= 0 || iterations <= 0) {
            throw new IllegalArgumentException("batch_size and iterations must be positive");
        }
        if (device.kind() == DeviceSpec.Kind.GPU) {
            throw new ConfigException("device: " + device + ": coco-maskrcnn trains on the CPU only so far (its"
                    + " box, RoI and mask ops are not device-aware yet); use device: cpu or auto");
        }
    }

    /** The same recipe writing to {@code uri}. */
    public CocoMaskRcnnConfig withOutput(String uri) {
        return new CocoMaskRcnnConfig(backboneMode, inputSize, batchSize, iterations, optimizer, model, eval,
                output.withUri(uri), seed, torchThreads, device);
    }

    /** The training step's config for a backbone export of {@code backbone} and a dataset of K categories. */
    public DetectorTrainConfig train(ResNetConfig backbone, int categories) {
        MaskRcnnConfig m = new MaskRcnnConfig(categories + 1, model.fpnChannels(), model.anchorSizes(),
                model.aspectRatios(), model.rpn(), model.roiHeads(), backboneMode);
        return new DetectorTrainConfig(backbone, m, inputSize, batchSize, optimizer.sgd(),
                optimizer.schedule(iterations), seed);
    }

    /**
     * The recipe as a mapping with every field, in {@link CocoMaskRcnnConfigYaml}'s format without the output URI
     * (what {@code result.json} records, sweeps key evaluation steps by, and the run's identity hashes).
     */
    public ObjectNode toTree() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("task", CocoMaskRcnnConfigYaml.TASK);
        o.putObject("backbone").put("mode", backboneMode.key());
        o.put("input_size", inputSize).put("batch_size", batchSize).put("iterations", iterations);
        ObjectNode opt = o.putObject("optimizer");
        opt.put("lr", optimizer.lr()).put("momentum", optimizer.momentum())
                .put("weight_decay", optimizer.weightDecay()).put("warmup_steps", optimizer.warmupSteps())
                .put("warmup_factor", optimizer.warmupFactor());
        ArrayNode ms = opt.putArray("milestones");
        optimizer.milestones().forEach(ms::add);
        opt.put("gamma", optimizer.gamma());
        ObjectNode m = o.putObject("model");
        m.put("fpn_channels", model.fpnChannels());
        ArrayNode sizes = m.putArray("anchor_sizes");
        model.anchorSizes().forEach(sizes::add);
        ArrayNode ratios = m.putArray("aspect_ratios");
        model.aspectRatios().forEach(ratios::add);
        MaskRcnnConfig.Rpn r = model.rpn();
        m.putObject("rpn").put("pre_nms_top_n_train", r.preNmsTopNTrain()).put("pre_nms_top_n_test",
                r.preNmsTopNTest()).put("post_nms_top_n_train", r.postNmsTopNTrain())
                .put("post_nms_top_n_test", r.postNmsTopNTest()).put("nms", r.nmsThresh())
                .put("fg_iou", r.fgIouThresh()).put("bg_iou", r.bgIouThresh())
                .put("batch_size_per_image", r.batchSizePerImage()).put("positive_fraction", r.positiveFraction());
        MaskRcnnConfig.RoiHeads h = model.roiHeads();
        m.putObject("roi_heads").put("box_pool", h.boxPoolSize()).put("mask_pool", h.maskPoolSize())
                .put("sampling_ratio", h.samplingRatio()).put("aligned", h.aligned())
                .put("representation", h.representationSize()).put("mask_layers", h.maskLayers())
                .put("mask_channels", h.maskChannels()).put("fg_iou", h.fgIouThresh()).put("bg_iou", h.bgIouThresh())
                .put("batch_size_per_image", h.batchSizePerImage()).put("positive_fraction", h.positiveFraction())
                .put("score_thresh", h.scoreThresh()).put("nms", h.nmsThresh())
                .put("detections_per_image", h.detectionsPerImage());
        o.putObject("eval").put("every", eval.every()).put("batch_size", eval.batchSize());
        o.putObject("output").put("checkpoint_every", output.checkpointEvery())
                .put("keep_checkpoints", output.keepCheckpoints()).put("log_every", output.logEvery());
        o.put("seed", seed).put("torch_threads", torchThreads);
        return o;
    }
}
