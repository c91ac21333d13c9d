package org.detcon.eval.detection.train;

import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.SgdConfig;
import org.detcon.trainer.schedule.LinearWarmup;
import org.detcon.trainer.schedule.LrSchedule;
import org.detcon.trainer.schedule.StepDecaySchedule;

/**
 * What the detector's training step needs: the architecture (backbone depth and width, the detector's constants),
 * the input size (longer side, padded square), the batch, SGD's momentum and weight decay, the learning-rate
 * schedule (its length is the run's) and the seed of region sampling.
 */
public record DetectorTrainConfig(ResNetConfig backbone, MaskRcnnConfig model, int inputSize, int batchSize,
        SgdConfig sgd, LrSchedule learningRate, long seed) {

    public DetectorTrainConfig {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32, got " + inputSize);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** Steps of the schedule. */
    public long iterations() {
        return learningRate.totalSteps();
    }

    /**
     * The paper's 1× protocol (spec §7a) for a ResNet-50 and K classes: 1024 px, batch 16, SGD 0.9 / 1e-4, LR 0.02
     * with 1,000 warmup steps from 0.001×, ×0.1 at 60k and 80k of 90k.
     */
    public static DetectorTrainConfig paper1x(int numClasses) {
        return new DetectorTrainConfig(ResNetConfig.resnet50(), MaskRcnnConfig.torchvision(numClasses), 1024, 16,
                new SgdConfig(0.9, 1e-4), new LinearWarmup(new StepDecaySchedule(0.02, 90_000,
                        new long[] {60_000, 80_000}, 0.1), 1000, 0.001), 0);
    }
}
