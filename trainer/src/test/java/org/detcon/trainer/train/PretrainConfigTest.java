package org.detcon.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.junit.jupiter.api.Test;

/** The paper's recipes (detcon-spec.md sections 4 and 6). */
class PretrainConfigTest {

    @Test
    void detconB1000Epochs() {
        PretrainConfig c = PretrainConfig.recipe(Method.DETCON_B, ResNetConfig.resnet50(), 4096, 1000, 312);
        assertEquals(0.2 * 16, c.learningRate().peak(), 1e-12);
        assertEquals(1.5e-6, c.lars().weightDecay(), 0);
        assertEquals(3120, c.learningRate().warmupSteps());         // 1% of 1000 epochs = 10 epochs
        assertEquals(312000, c.learningRate().totalSteps());
        assertEquals(0.996, c.ema().baseTau(), 0);
        assertEquals(HeadConfig.BYOL, c.projector());
        assertEquals(HeadConfig.BYOL, c.predictor());
        assertEquals(7, c.gridSize());
        assertEquals(16, c.masks().masksPerView());
        assertEquals(0.1, c.loss().temperature(), 0);
        assertEquals(0.9, c.lars().momentum(), 0);
        assertEquals(1e-3, c.lars().eta(), 0);
    }

    @Test
    void detconB300EpochsUsesOnePercentWarmupAndTau099() {
        PretrainConfig c = PretrainConfig.recipe(Method.DETCON_B, ResNetConfig.resnet50(), 4096, 300, 312);
        assertEquals(936, c.learningRate().warmupSteps());          // 3 epochs
        assertEquals(0.99, c.ema().baseTau(), 0);
    }

    @Test
    void byolAndSimclrAndDetconS() {
        PretrainConfig b300 = PretrainConfig.recipe(Method.BYOL, ResNetConfig.resnet50(), 4096, 300, 312);
        assertEquals(0.3 * 16, b300.learningRate().peak(), 1e-12);
        assertEquals(1e-6, b300.lars().weightDecay(), 0);
        assertEquals(3120, b300.learningRate().warmupSteps());
        PretrainConfig b1000 = PretrainConfig.recipe(Method.BYOL, ResNetConfig.resnet50(), 4096, 1000, 312);
        assertEquals(0.2 * 16, b1000.learningRate().peak(), 1e-12);
        assertEquals(1.5e-6, b1000.lars().weightDecay(), 0);
        for (Method m : new Method[] {Method.SIMCLR, Method.DETCON_S}) {
            PretrainConfig s = PretrainConfig.recipe(m, ResNetConfig.resnet50(), 4096, 1000, 312);
            assertEquals(0.3 * 16, s.learningRate().peak(), 1e-12);
            assertEquals(1e-6, s.lars().weightDecay(), 0);
            assertEquals(3120, s.learningRate().warmupSteps());
            assertEquals(HeadConfig.SIMCLR, s.projector());
            assertNull(s.predictor());
            assertNull(s.ema());
        }
    }

    @Test
    void rejectsInconsistentConfigs() {
        PretrainConfig c = PretrainConfig.recipe(Method.DETCON_B, ResNetConfig.resnet50(), 256, 10, 10);
        assertThrows(IllegalArgumentException.class, () -> new PretrainConfig(Method.DETCON_S, c.resnet(),
                c.projector(), c.predictor(), 224, c.masks(), c.loss(), c.lars(), c.learningRate(), c.ema()));
        assertThrows(IllegalArgumentException.class, () -> new PretrainConfig(Method.DETCON_B, c.resnet(),
                c.projector(), c.predictor(), 160, c.masks(), c.loss(), c.lars(), c.learningRate(), c.ema()));
    }
}
