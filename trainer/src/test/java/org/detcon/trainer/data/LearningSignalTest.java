package org.detcon.trainer.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.detcon.trainer.TinyConfigs;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;
import org.junit.jupiter.api.Test;

/**
 * The scaled-down learning-signal check (the full one, with linear probes, is bench/train/learning_signal.sh):
 * DetCon_B steps on one fixed batch of generated shapes (the same views every step) lower the DetCon loss.
 */
class LearningSignalTest {

    @Test
    void detconLossDecreasesOnATinyShapesSet() {
        PretrainConfig tiny = TinyConfigs.of(Method.DETCON_B);
        int steps = 8;
        // LARS moves weights by ~lr·η·|w| per step: a handful of steps needs a large peak LR (here 3.2, the paper's)
        PretrainConfig cfg = new PretrainConfig(tiny.method(), tiny.resnet(), tiny.projector(), tiny.predictor(),
                tiny.imageSize(), tiny.masks(), tiny.loss(), tiny.lars(),
                new LearningRateSchedule(3.2 * 256 / 4, 4, 0, 100), new EmaSchedule(0.99, 100));
        List<Example> data = Shapes.generateAll(64, 11, 4).stream().map(Shapes.Sample::example).toList();
        BatchAssembler assembler = new BatchAssembler(cfg, 3);
        Torch.engine().setRandomSeed(5);
        float[] losses = new float[steps];
        try (Pretrainer p = new Pretrainer(cfg, 4)) {
            for (int k = 0; k < steps; k++) {
                try (NDManager m = Torch.newManager()) {
                    losses[k] = p.step(assembler.assemble(data, 0, m)); // step 0's views every time
                }
            }
        }
        float first = (losses[0] + losses[1]) / 2;
        float last = (losses[steps - 2] + losses[steps - 1]) / 2;
        System.out.println("tiny learning signal losses " + Arrays.toString(losses));
        assertTrue(last < 0.8f * first, "loss should fall: " + Arrays.toString(losses));
    }
}
