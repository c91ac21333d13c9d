package org.detcon.trainer;

import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;

/** Configurations small enough for unit tests: ResNet-18 on 64×64 inputs (2×2 grid), small heads, 4 masks. */
public final class TinyConfigs {

    public static final int MASKS = 4;

    private TinyConfigs() {
    }

    public static PretrainConfig of(Method method) {
        boolean t = method.hasTarget();
        LearningRateSchedule lr = new LearningRateSchedule(0.2, 256, 0, 20);
        return new PretrainConfig(method, new ResNetConfig(18, 1), new HeadConfig(64, 32),
                t ? new HeadConfig(64, 32) : null, 64, new MaskConfig(2, MASKS, false), DetConLossConfig.DEFAULT,
                LarsConfig.withWeightDecay(1.5e-6), lr, t ? new EmaSchedule(0.99, 20) : null);
    }
}
