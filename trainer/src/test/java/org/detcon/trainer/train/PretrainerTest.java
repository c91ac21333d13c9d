package org.detcon.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.detcon.trainer.TinyConfigs;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.masks.MaskBatch;
import org.detcon.trainer.masks.SampledMasks;
import org.junit.jupiter.api.Test;

/** Tiny end-to-end steps: ResNet-18 on 64×64 inputs (2×2 feature grid), small heads, batch 2. */
class PretrainerTest {

    static final int B = 2;
    static final int R = TinyConfigs.MASKS;

    static PretrainConfig tiny(Method method) {
        return TinyConfigs.of(method);
    }

    static PretrainBatch batch(NDManager m, long seed, boolean grid1) {
        return batch(m, seed, grid1, B);
    }

    /** {@code size} images per view (engine-seeded normal noise) with random cell masks (or the global mask). */
    static PretrainBatch batch(NDManager m, long seed, boolean grid1, int size) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SampledMasks> a = new ArrayList<>();
        List<SampledMasks> b = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            a.add(masks(rng, grid1));
            b.add(masks(rng, grid1));
        }
        return new PretrainBatch(m.randomNormal(new Shape(size, 3, 64, 64)),
                m.randomNormal(new Shape(size, 3, 64, 64)), MaskBatch.of(m, a), MaskBatch.of(m, b));
    }

    private static SampledMasks masks(SplittableRandom rng, boolean grid1) {
        int[] ids = new int[R];
        float[][] w = new float[R][];
        for (int r = 0; r < R; r++) {
            int cell = grid1 ? -1 : rng.nextInt(4); // labels = cells of a 2x2 grid, or the single global mask
            ids[r] = grid1 ? 0 : cell;
            w[r] = new float[4];
            for (int c = 0; c < 4; c++) {
                w[r][c] = grid1 ? 0.25f : (c == cell ? 1f : 0f);
            }
        }
        return new SampledMasks(ids, w);
    }

    private static NDArray firstConv(org.detcon.trainer.model.Encoder e) {
        return e.backbone().block().getParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.WEIGHT).findFirst().orElseThrow().getArray();
    }

    @Test
    void detconBStepRunsAndEmaMovesTheTarget() {
        try (Pretrainer p = new Pretrainer(tiny(Method.DETCON_B), B); NDManager m = Torch.newManager()) {
            assertNotNull(p.target());
            assertNull(p.target().predictor());
            float[] theta0 = firstConv(p.online()).toFloatArray();
            float[] xi0 = firstConv(p.target()).toFloatArray();
            assertEquals(0.0, maxDiff(theta0, xi0), 0.0, "target starts as a copy of the online network");

            float loss = p.step(batch(m, 1, false));
            assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
            float[] theta1 = firstConv(p.online()).toFloatArray();
            float[] xi1 = firstConv(p.target()).toFloatArray();
            assertTrue(maxDiff(theta0, theta1) > 0, "online weights moved");
            assertTrue(maxDiff(xi0, xi1) > 0, "target weights moved");
            double tau = p.config().ema().tau(0);
            assertEquals(0.99, tau, 1e-12);
            double err = 0;
            for (int i = 0; i < theta0.length; i++) {
                double expected = xi0[i] + (1 - tau) * (theta1[i] - xi0[i]);
                err = Math.max(err, Math.abs(expected - xi1[i]));
            }
            assertTrue(err < 1e-6, "EMA mismatch " + err);
            assertEquals(1, p.stepCount());
            assertEquals(p.config().learningRate().at(0), p.optimizer().lastLearningRate(), 1e-12);
        }
    }

    @Test
    void detconSSimclrAndByolStepsRun() {
        for (Method method : new Method[] {Method.DETCON_S, Method.SIMCLR, Method.BYOL}) {
            try (Pretrainer p = new Pretrainer(tiny(method), B); NDManager m = Torch.newManager()) {
                assertEquals(method.hasTarget(), p.target() != null);
                float[] before = firstConv(p.online()).toFloatArray();
                float l1 = p.step(batch(m, 2, method == Method.SIMCLR));
                float l2 = p.step(batch(m, 3, method == Method.SIMCLR));
                assertTrue(Float.isFinite(l1) && Float.isFinite(l2), method + " " + l1 + " " + l2);
                assertTrue(maxDiff(before, firstConv(p.online()).toFloatArray()) > 0, method.name());
            }
        }
    }

    @Test
    void noNdArrayLeakAcrossSteps() {
        try (Pretrainer p = new Pretrainer(tiny(Method.DETCON_B), B)) {
            NDManager system;
            try (NDManager base = Torch.newManager()) {
                system = base.getParentManager();
            }
            try (NDManager probe = Torch.newManager()) { // the count does see arrays of any base manager
                int n0 = system.getManagedArrays().size();
                probe.zeros(new Shape(1));
                assertEquals(n0 + 1, system.getManagedArrays().size());
            }
            try (NDManager m = Torch.newManager()) {
                p.step(batch(m, 4, false)); // first step creates optimizer state
            }
            int before = system.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                try (NDManager m = Torch.newManager()) {
                    p.step(batch(m, 5 + i, false));
                }
            }
            int after = system.getManagedArrays().size();
            assertEquals(before, after, "NDArrays alive before/after 2 steps");
        }
    }

    @Test
    void closingReleasesEverything() {
        try (NDManager base = Torch.newManager()) {
            NDManager system = base.getParentManager();
            int before = system.getManagedArrays().size();
            try (Pretrainer p = new Pretrainer(tiny(Method.DETCON_B), B); NDManager m = Torch.newManager()) {
                p.step(batch(m, 9, false));
            }
            assertEquals(before, system.getManagedArrays().size());
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
