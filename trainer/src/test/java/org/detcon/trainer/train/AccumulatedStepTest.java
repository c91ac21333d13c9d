package org.detcon.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.parallel.ReplicaSync;
import org.junit.jupiter.api.Test;

/**
 * Micro-batches (GradCache-style accumulation) and data parallel replicas against the whole-batch step, on the tiny
 * ResNet-18 (64×64 inputs, 4 masks per view), batch 8, two steps. With batch norm in inference mode the loss and the
 * gradient do not depend on how the batch is cut, so losses, weights and LARS momenta (trust × gradient, or the
 * gradient itself for biases and batch-norm parameters) must agree up to float32 rounding.
 */
class AccumulatedStepTest {

    private static final int B = 8;
    private static final Device CPU = Device.cpu();
    /** Relative tolerance of losses and weights (float32; the sums run in another order). */
    private static final double REL = 1e-5;
    /** Absolute floor for weights near 0. */
    private static final double ABS = 1e-10;
    /**
     * Relative tolerance of the momenta (≈ gradients, the most sensitive to summation order), and of the parameters
     * that start at 0 (biases, batch-norm shifts): after a step they are −lr × momentum, so they carry the gradients'
     * rounding (3e-5 of their largest value seen on one CPU, beyond REL).
     */
    private static final double REL_MOMENTUM = 1e-4;

    @Test
    void microBatchesGiveTheWholeBatchStepForAllFourMethods() {
        for (Method method : Method.values()) {
            compare(method, new BatchSplit(B, 2, List.of(CPU)), false);
        }
    }

    @Test
    void twoReplicasOnOneDeviceGiveTheWholeBatchStepAndStayIdentical() {
        for (Method method : new Method[] {Method.DETCON_B, Method.SIMCLR}) {
            compare(method, new BatchSplit(B, 2, List.of(CPU, CPU)), false);
        }
    }

    @Test
    void replicasEqualOneDeviceWithTheSameMicroBatchesInTrainingMode() {
        // batch statistics per micro-batch: the same micro-batches on one or two replicas give the same step
        // (running statistics differ: each replica only sees its own micro-batches; the primary's win)
        try (Pretrainer one = seeded(Method.DETCON_B, new BatchSplit(B, 4, List.of(CPU)));
                Pretrainer two = seeded(Method.DETCON_B, new BatchSplit(B, 4, List.of(CPU, CPU)));
                NDManager m = Torch.newManager()) {
            PretrainBatch batch = PretrainerTest.batch(m, 20, false, B);
            float a = one.step(batch);
            float b = two.step(batch);
            assertEquals(a, b, REL * Math.abs(a), "loss");
            assertClose(one.online(), two.online(), "training mode: online", true);
            assertClose(one.target(), two.target(), "training mode: target", true);
            assertIdentical(two.replica(0).online(), two.replica(1).online());
            assertIdentical(two.replica(0).target(), two.replica(1).target());
        }
    }

    @Test
    void oneMicroBatchThroughTheCachedPathIsThePlainStepBitForBit() {
        // batch norm in training mode: dL/d(outputs) backpropagated as sum(outputs · dL/d(outputs)) gives the same
        // parameter gradients, and the first pass's running-statistics updates are undone
        for (Method method : new Method[] {Method.DETCON_B}) {
            Torch.engine().setRandomSeed(11);
            try (Pretrainer plain = new Pretrainer(PretrainerTest.tiny(method), BatchSplit.whole(B, CPU), false);
                    NDManager m = Torch.newManager()) {
                Torch.engine().setRandomSeed(11);
                try (Pretrainer cached = new Pretrainer(PretrainerTest.tiny(method), BatchSplit.whole(B, CPU), true)) {
                    for (int s = 0; s < 2; s++) {
                        PretrainBatch batch = PretrainerTest.batch(m, 30 + s, false, B);
                        assertEquals(plain.step(batch), cached.step(batch), 0f, method + " loss of step " + s);
                    }
                    assertIdentical(plain.online(), cached.online());
                }
            }
        }
    }

    @Test
    void accumulatedStepsLeaveNoArrays() {
        try (Pretrainer p = seeded(Method.DETCON_B, new BatchSplit(B, 2, List.of(CPU, CPU)))) {
            NDManager system;
            try (NDManager base = Torch.newManager()) {
                system = base.getParentManager();
            }
            try (NDManager m = Torch.newManager()) {
                p.step(PretrainerTest.batch(m, 40, false, B)); // the first step creates optimizer state
            }
            int before = system.getManagedArrays().size();
            try (NDManager m = Torch.newManager()) {
                p.step(PretrainerTest.batch(m, 41, false, B));
            }
            assertEquals(before, system.getManagedArrays().size(), "NDArrays alive before/after a step");
        }
    }

    @Test
    void aRestoredCheckpointReachesEveryReplica() throws java.io.IOException {
        try (Pretrainer saved = seeded(Method.DETCON_B, BatchSplit.whole(B, CPU)); NDManager m = Torch.newManager()) {
            saved.step(PretrainerTest.batch(m, 50, false, B));
            java.util.Map<String, byte[]> files = saved.checkpointFiles();
            Torch.engine().setRandomSeed(6); // another initialisation
            try (Pretrainer two = new Pretrainer(PretrainerTest.tiny(Method.DETCON_B),
                    new BatchSplit(B, 4, List.of(CPU, CPU)))) {
                two.restoreCheckpoint(files::get, 1);
                for (int r = 0; r < 2; r++) {
                    assertIdentical(saved.online(), two.replica(r).online());
                    assertIdentical(saved.target(), two.replica(r).target());
                }
            }
        }
    }

    @Test
    void splitsThatDoNotDivideAreRejected() {
        assertTrue(message(() -> new BatchSplit(8, 3, List.of(CPU))).startsWith("micro_batch must divide"));
        assertTrue(message(() -> new BatchSplit(8, 8, List.of(CPU, CPU))).contains("does not split evenly"));
        assertTrue(message(() -> new BatchSplit(12, 2, List.of(CPU, CPU, CPU, CPU))).contains("multiple of"));
        BatchSplit s = new BatchSplit(16, 2, List.of(CPU, CPU));
        assertEquals(8, s.microBatches());
        assertEquals(0, s.replicaOf(3));
        assertEquals(1, s.replicaOf(4));
        assertEquals(8, s.firstRow(4));
        assertTrue(BatchSplit.whole(8, CPU).isWhole());
    }

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }

    /** Whole batch vs {@code split}, batch norm in inference mode unless {@code training}: two steps. */
    private static void compare(Method method, BatchSplit split, boolean training) {
        boolean grid1 = method == Method.SIMCLR;
        try (Pretrainer whole = seeded(method, BatchSplit.whole(B, CPU)); Pretrainer cut = seeded(method, split);
                NDManager m = Torch.newManager()) {
            whole.batchNormTraining(training);
            cut.batchNormTraining(training);
            assertIdentical(whole.online(), cut.online());
            for (int s = 0; s < 2; s++) {
                PretrainBatch batch = PretrainerTest.batch(m, 10 + s, grid1, B);
                float a = whole.step(batch);
                float b = cut.step(batch);
                String what = method + " " + split + " step " + s;
                assertTrue(Float.isFinite(a) && a > 0, what + ": loss " + a);
                assertEquals(a, b, REL * Math.abs(a), what + ": loss");
                assertClose(whole.online(), cut.online(), what + ": online", false);
                if (whole.target() != null) {
                    assertClose(whole.target(), cut.target(), what + ": target", false);
                }
                assertMomentaClose(whole, cut, what);
                for (int r = 1; r < split.replicas(); r++) {
                    assertIdentical(cut.replica(0).online(), cut.replica(r).online());
                    if (cut.target() != null) {
                        assertIdentical(cut.replica(0).target(), cut.replica(r).target());
                    }
                }
            }
        }
    }

    private static Pretrainer seeded(Method method, BatchSplit split) {
        Torch.engine().setRandomSeed(5);
        return new Pretrainer(PretrainerTest.tiny(method), split);
    }

    /**
     * Every parameter (running statistics too unless {@code trainableOnly}) within REL of its largest value; biases
     * and batch-norm shifts within REL_MOMENTUM.
     */
    private static void assertClose(Block a, Block b, String what, boolean trainableOnly) {
        List<Parameter> pa = ReplicaSync.parameters(a);
        List<Parameter> pb = ReplicaSync.parameters(b);
        assertEquals(pa.size(), pb.size());
        for (int i = 0; i < pa.size(); i++) {
            Parameter.Type t = pa.get(i).getType();
            if (trainableOnly && (t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR)) {
                continue;
            }
            double rel = t == Parameter.Type.BETA || t == Parameter.Type.BIAS ? REL_MOMENTUM : REL;
            assertArrayClose(pa.get(i).getArray().toFloatArray(), pb.get(i).getArray().toFloatArray(), rel, ABS,
                    what + " " + pa.get(i).getName());
        }
    }

    private static void assertMomentaClose(Pretrainer a, Pretrainer b, String what) {
        List<Parameter> pa = ReplicaSync.parameters(a.online());
        List<Parameter> pb = ReplicaSync.parameters(b.online());
        int n = 0;
        for (int i = 0; i < pa.size(); i++) {
            NDArray ma = a.optimizer().momentumState(pa.get(i).getId(), CPU);
            NDArray mb = b.optimizer().momentumState(pb.get(i).getId(), CPU);
            assertEquals(ma == null, mb == null, what + " momentum of " + pa.get(i).getName());
            if (ma != null) {
                assertArrayClose(ma.toFloatArray(), mb.toFloatArray(), REL_MOMENTUM, 0,
                        what + " momentum of " + pa.get(i).getName());
                n++;
            }
        }
        assertTrue(n > 0, what + ": no momentum");
    }

    private static void assertArrayClose(float[] x, float[] y, double rel, double abs, String what) {
        assertEquals(x.length, y.length, what);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < x.length; i++) {
            scale = Math.max(scale, Math.abs(x[i]));
            diff = Math.max(diff, Math.abs(x[i] - y[i]));
        }
        if (System.getenv("ACCUMULATED_PRINT") != null) {
            System.out.printf("DIFF %-60s %.3g of %.3g%n", what, diff, scale);
        }
        assertTrue(diff <= rel * scale + abs, what + ": max difference " + diff + " at scale " + scale);
    }

    private static void assertIdentical(Block a, Block b) {
        List<Parameter> pa = ReplicaSync.parameters(a);
        List<Parameter> pb = ReplicaSync.parameters(b);
        assertEquals(pa.size(), pb.size());
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).getArray().toFloatArray(), pb.get(i).getArray().toFloatArray(),
                    pa.get(i).getName());
        }
    }
}
