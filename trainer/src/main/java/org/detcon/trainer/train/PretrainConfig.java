package org.detcon.trainer.train;

import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;

/**
 * Everything one pretraining run's networks and optimisation need. {@code predictor} and {@code ema} are null for
 * methods without a target network. {@code masks.masksPerView()} is ignored by BYOL (global pooling).
 */
public record PretrainConfig(Method method, ResNetConfig resnet, HeadConfig projector, HeadConfig predictor,
        int imageSize, MaskConfig masks, DetConLossConfig loss, LarsConfig lars, LearningRateSchedule learningRate,
        EmaSchedule ema) {

    public PretrainConfig {
        if (imageSize <= 0 || imageSize % ResNetConfig.stride() != 0) {
            throw new IllegalArgumentException("image size must be a positive multiple of 32, got " + imageSize);
        }
        if (masks.gridSize() != imageSize / ResNetConfig.stride()) {
            throw new IllegalArgumentException("mask grid " + masks.gridSize() + " does not match the feature grid of "
                    + imageSize + " inputs (" + imageSize / ResNetConfig.stride() + ")");
        }
        if (method.hasTarget() && (predictor == null || ema == null)) {
            throw new IllegalArgumentException(method + " needs a predictor and an EMA schedule");
        }
        if (!method.hasTarget() && (predictor != null || ema != null)) {
            throw new IllegalArgumentException(method + " has no predictor and no target network");
        }
    }

    /** Side of the feature grid (7 at 224). */
    public int gridSize() {
        return imageSize / ResNetConfig.stride();
    }

    /**
     * The paper's recipe for {@code method} (detcon-spec.md section 6): DetCon_B base LR 0.2, wd 1.5e-6; BYOL
     * 0.3/1e-6 at ≤ 300 epochs, else 0.2/1.5e-6; SimCLR and DetCon_S 0.3/1e-6; warmup 1% of the epochs for DetCon_B,
     * 10 epochs for the others;
     * EMA τ_base 0.996 (0.99 for ≤ 300 epochs); 224 inputs, 16 masks per view.
     */
    public static PretrainConfig recipe(Method method, ResNetConfig resnet, int batchSize, double epochs,
            long stepsPerEpoch) {
        double base;
        double wd;
        switch (method) {
            case DETCON_B -> {
                base = 0.2;
                wd = 1.5e-6;
            }
            case BYOL -> {
                base = epochs <= 300 ? 0.3 : 0.2;
                wd = epochs <= 300 ? 1e-6 : 1.5e-6;
            }
            default -> {
                base = 0.3;
                wd = 1e-6;
            }
        }
        // DetCon_B: 1% of the epochs (10 of 1000); the others: 10 epochs; never more than half of a short run
        double warmup = Math.min(method == Method.DETCON_B ? epochs / 100 : 10, epochs / 2);
        LearningRateSchedule lr = LearningRateSchedule.ofEpochs(base, batchSize, warmup, epochs, stepsPerEpoch);
        boolean target = method.hasTarget();
        return new PretrainConfig(method, resnet, target ? HeadConfig.BYOL : HeadConfig.SIMCLR,
                target ? HeadConfig.BYOL : null, 224, MaskConfig.DEFAULT, DetConLossConfig.DEFAULT,
                LarsConfig.withWeightDecay(wd), lr,
                target ? new EmaSchedule(EmaSchedule.defaultBaseTau(epochs), lr.totalSteps()) : null);
    }
}
