package org.detcon.eval.detection.config;

import java.util.List;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.schedule.WarmupStepSchedule;

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
 * @param output        checkpoint every N steps, checkpoints kept, metrics every N steps
 */
public record CocoMaskRcnnConfig(BackboneMode backboneMode, int inputSize, int batchSize, long iterations,
        Optimizer optimizer, MaskRcnnConfig model, Eval eval, Output output, long seed, int torchThreads) {

    /** SGD and its schedule ({@link WarmupStepSchedule}). */
    public record Optimizer(double lr, double momentum, double weightDecay, long warmupSteps, double warmupFactor,
            List<Long> milestones, double gamma) {

        public Optimizer {
            milestones = List.copyOf(milestones);
        }

        public WarmupStepSchedule schedule() {
            return new WarmupStepSchedule(lr, warmupSteps, warmupFactor, milestones, gamma);
        }
    }

    public record Eval(long every, int batchSize) {
    }

    public record Output(long checkpointEvery, int keepCheckpoints, long logEvery) {
    }

    public CocoMaskRcnnConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input_size must be a multiple of 32, got " + inputSize);
        }
        if (batchSize <= 0 || iterations <= 0) {
            throw new IllegalArgumentException("batch_size and iterations must be positive");
        }
    }

    /** The training step's config for a backbone export of {@code backbone} and a dataset of K categories. */
    public DetectorTrainConfig train(ResNetConfig backbone, int categories) {
        MaskRcnnConfig m = new MaskRcnnConfig(categories + 1, model.fpnChannels(), model.anchorSizes(),
                model.aspectRatios(), model.rpn(), model.roiHeads(), backboneMode);
        return new DetectorTrainConfig(backbone, m, inputSize, batchSize, optimizer.momentum(),
                optimizer.weightDecay(), optimizer.schedule(), iterations, seed);
    }
}
