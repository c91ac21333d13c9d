package org.detcon.eval.detection.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.eval.detection.TinyCoco;
import org.detcon.eval.detection.TinyDetector;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.CocoSplit;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.InputTransform;
import org.detcon.eval.detection.model.MaskRcnn;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.StepLoss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskRcnnTrainerTest {

    @TempDir
    static Path tmp;
    private static CocoDetectionData data;

    @BeforeAll
    static void data() throws Exception {
        TinyCoco.write(tmp.resolve("coco"), "train", 5, 64, 64, 11);
        data = new CocoDetectionData(CocoSplit.resolve(tmp.resolve("coco"), "train"), new InputTransform(64));
    }

    /**
     * Training on one batch lowers all five losses, measured before and after on the same batch with the RoI heads
     * on a fixed probe of proposals (the ground truth jittered, and random boxes) and the same sampling seed: the
     * heads' losses on the RPN's own proposals are not comparable across training (at the start the only
     * foreground regions are the ground-truth boxes themselves, whose regression targets are zero).
     */
    @Test
    void aFewIterationsOnOneBatchLowerEveryLoss() throws Exception {
        DetectorTrainConfig cfg = TinyDetector.train(data.categories().numClasses(), BackboneMode.FINETUNE, 0.01, 2);
        DetectionBatch batch = TinyDetector.batch(data, 0, 2, false);
        List<float[]> probe = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(9);
        for (var t : batch.targets()) {
            float[] b = new float[4 * (3 * t.count() + 8)];
            int k = 0;
            for (int j = 0; j < t.count(); j++) {
                float w = t.boxes()[4 * j + 2] - t.boxes()[4 * j];
                float h = t.boxes()[4 * j + 3] - t.boxes()[4 * j + 1];
                for (int r = 0; r < 3; r++, k++) {
                    for (int c = 0; c < 4; c++) {
                        b[4 * k + c] = t.boxes()[4 * j + c] + (float) (rng.nextDouble(-0.15, 0.15) * (c % 2 == 0 ? w : h));
                    }
                }
            }
            for (; k < b.length / 4; k++) {
                float x = (float) rng.nextDouble(0, 48);
                float y = (float) rng.nextDouble(0, 48);
                b[4 * k] = x;
                b[4 * k + 1] = y;
                b[4 * k + 2] = x + (float) rng.nextDouble(4, 16);
                b[4 * k + 3] = y + (float) rng.nextDouble(4, 16);
            }
            probe.add(b);
        }
        Engine.getEngine(Torch.engine().getEngineName()).setRandomSeed(5); // the initial weights
        try (MaskRcnnTrainer t = new MaskRcnnTrainer(cfg, null, "test")) {
            Map<String, Float> before = t.probe(batch, probe, 1);
            for (int i = 0; i < 15; i++) {
                t.step(batch);
            }
            Map<String, Float> after = t.probe(batch, probe, 1);
            for (String name : MaskRcnn.LOSS_NAMES) {
                assertTrue(after.get(name) < 0.97 * before.get(name), name + " did not fall: " + before.get(name)
                        + " -> " + after.get(name));
            }
        }
    }

    /** The learner's checkpoint (weights, batch-norm statistics, momentum, step) restores the next step exactly. */
    @Test
    void resumeFromACheckpointRepeatsTheNextStepExactly() throws Exception {
        DetectorTrainConfig cfg = TinyDetector.train(data.categories().numClasses(), BackboneMode.FINETUNE, 0.01, 2);
        LocalObjectStore store = new LocalObjectStore(tmp.resolve("ck"));
        StepLoss expected;
        float[] weights;
        try (MaskRcnnTrainer a = new MaskRcnnTrainer(cfg, null, "h")) {
            for (int s = 0; s < 2; s++) {
                a.step(TinyDetector.batch(data, 2 * s, 2, s == 1));
            }
            Checkpoints.save(store, a, 0, 4, cfg.seed());
            expected = a.step(TinyDetector.batch(data, 1, 2, false));
            weights = a.net().boxHead().clsScore().getParameters().valueAt(0).getArray().toFloatArray();
        }
        try (MaskRcnnTrainer b = new MaskRcnnTrainer(cfg, null, "h")) {
            assertEquals(2, Checkpoints.restore(store, "step-00000002", b).step());
            assertEquals(2, b.stepCount());
            StepLoss again = b.step(TinyDetector.batch(data, 1, 2, false));
            assertEquals(expected, again);
            assertEquals(List.copyOf(MaskRcnn.LOSS_NAMES), List.copyOf(again.parts().keySet()));
            assertArrayEquals(weights,
                    b.net().boxHead().clsScore().getParameters().valueAt(0).getArray().toFloatArray());
        }
    }

    @Test
    void frozenModesLeaveTheBackboneAlone() throws Exception {
        for (BackboneMode mode : new BackboneMode[] {BackboneMode.FROZEN, BackboneMode.FROZEN_BN}) {
            DetectorTrainConfig cfg = TinyDetector.train(data.categories().numClasses(), mode, 0.02, 1);
            try (MaskRcnnTrainer t = new MaskRcnnTrainer(cfg, null, "test")) {
                List<float[]> before = new ArrayList<>();
                List<Parameter> params = new ArrayList<>();
                for (Pair<String, Parameter> p : t.net().backbone().block().getParameters()) {
                    params.add(p.getValue());
                    before.add(p.getValue().getArray().toFloatArray());
                }
                t.step(TinyDetector.batch(data, 0, 1, false));
                int changed = 0;
                for (int i = 0; i < params.size(); i++) {
                    Parameter p = params.get(i);
                    boolean same = java.util.Arrays.equals(before.get(i), p.getArray().toFloatArray());
                    boolean norm = p.getType() == Parameter.Type.GAMMA || p.getType() == Parameter.Type.BETA
                            || p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
                    if (mode == BackboneMode.FROZEN || norm) {
                        assertTrue(same, mode + ": " + p.getName() + " changed");
                    } else if (!same) {
                        changed++;
                    }
                }
                if (mode == BackboneMode.FROZEN_BN) {
                    assertTrue(changed > 0, "frozen_bn trains the convolutions");
                }
            }
        }
    }
}
