package org.detcon.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.trainer.TinyConfigs;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path tmp;

    private static List<Example> data() {
        java.util.Random r = new java.util.Random(3);
        byte[] p = new byte[72 * 72 * 3];
        r.nextBytes(p);
        org.detcon.core.image.Image8 img = new org.detcon.core.image.Image8(72, 72, 3, p);
        return List.of(Example.grid("a", img, 3), Example.grid("b", img, 2));
    }

    private static float step(Pretrainer p, BatchAssembler a) {
        try (NDManager m = Torch.newManager()) {
            return p.step(a.assemble(data(), p.stepCount(), m));
        }
    }

    private static float[] all(Pretrainer p) {
        int n = 0;
        for (Pair<String, Parameter> e : p.online().getParameters()) {
            n += (int) e.getValue().getArray().size();
        }
        float[] out = new float[n];
        int k = 0;
        for (Pair<String, Parameter> e : p.online().getParameters()) {
            float[] a = e.getValue().getArray().toFloatArray();
            System.arraycopy(a, 0, out, k, a.length);
            k += a.length;
        }
        return out;
    }

    @Test
    void saveRestoreAndResumeGiveTheSameTrajectory() throws IOException {
        PretrainConfig cfg = TinyConfigs.of(Method.DETCON_B);
        BatchAssembler asm = new BatchAssembler(cfg, 42);
        Path root = tmp.resolve("ckpt");
        LocalObjectStore store = new LocalObjectStore(root);
        try (Pretrainer a = new Pretrainer(cfg, 2); Pretrainer b = new Pretrainer(cfg, 2)) {
            step(a, asm);
            step(a, asm);
            String dir = Checkpoints.save(store, a, 0, 0, 42);
            assertEquals("step-00000002", dir);
            assertEquals(dir, Checkpoints.latest(store).orElseThrow());
            Checkpoints.State s = Checkpoints.readState(store, dir);
            assertEquals(2, s.step());
            assertEquals(Checkpoints.configHash(cfg), s.configHash());
            try (var files = Files.list(root)) {
                assertEquals(2, files.count(), "only the step directory and latest, no temporaries");
            }

            assertNotEquals(0.0, maxDiff(all(a), all(b)));
            Checkpoints.restore(store, dir, b);
            assertEquals(2, b.stepCount());
            assertArrayEquals(all(a), all(b), 0f);

            float la = step(a, asm);
            float lb = step(b, asm);
            assertEquals(la, lb, 1e-5f, "resumed run continues the same trajectory");
            assertTrue(maxDiff(all(a), all(b)) < 1e-5, "params after one more step: " + maxDiff(all(a), all(b)));
            assertEquals(a.optimizer().lastLearningRate(), b.optimizer().lastLearningRate(), 1e-12);
        }
    }

    @Test
    void corruptFilesAndOtherConfigsAreRejected() throws IOException {
        PretrainConfig cfg = TinyConfigs.of(Method.DETCON_S);
        try (Pretrainer a = new Pretrainer(cfg, 2)) {
            step(a, new BatchAssembler(cfg, 1));
            LocalObjectStore store = new LocalObjectStore(tmp.resolve("c"));
            String name = Checkpoints.save(store, a, 0, 0, 1);
            Path dir = tmp.resolve("c").resolve(name);
            PretrainConfig other = TinyConfigs.of(Method.SIMCLR);
            assertNotEquals(Checkpoints.configHash(cfg), Checkpoints.configHash(other));
            try (Pretrainer b = new Pretrainer(other, 2)) {
                assertThrows(IOException.class, () -> Checkpoints.restore(store, name, b));
            }
            byte[] bytes = Files.readAllBytes(dir.resolve("online.npz"));
            bytes[bytes.length / 2] ^= 1;
            Files.write(dir.resolve("online.npz"), bytes);
            assertThrows(IOException.class, () -> Checkpoints.readState(store, name));
        }
    }

    @Test
    void aSaveThatDiedMidwayIsInvisibleAndReplacedByTheNextSave() throws IOException {
        PretrainConfig cfg = TinyConfigs.of(Method.DETCON_S);
        Path root = tmp.resolve("partial");
        LocalObjectStore store = new LocalObjectStore(root);
        try (Pretrainer a = new Pretrainer(cfg, 2)) {
            BatchAssembler asm = new BatchAssembler(cfg, 1);
            step(a, asm);
            String good = Checkpoints.save(store, a, 0, 0, 1);
            step(a, asm);
            // what a writer killed after its first object leaves: step 2's weights, no state.json, latest untouched
            Path dead = root.resolve("step-00000002");
            Files.createDirectories(dead);
            Files.write(dead.resolve("online.npz"), new byte[] {1, 2, 3});
            assertEquals(good, Checkpoints.latest(store).orElseThrow());
            IOException e = assertThrows(IOException.class, () -> Checkpoints.readState(store, "step-00000002"));
            assertTrue(e.getMessage().contains("never completed"), e.getMessage());

            assertEquals("step-00000002", Checkpoints.save(store, a, 0, 0, 1));
            assertEquals("step-00000002", Checkpoints.latest(store).orElseThrow());
            assertEquals(2, Checkpoints.readState(store, "step-00000002").step());
        }
    }

    @Test
    void backboneExportLoadsWithTheSameOutputs() throws IOException {
        PretrainConfig cfg = TinyConfigs.of(Method.DETCON_S);
        try (Pretrainer a = new Pretrainer(cfg, 2); NDManager m = Torch.newManager()) {
            step(a, new BatchAssembler(cfg, 1));
            Path dir = tmp.resolve("export");
            LocalObjectStore store = new LocalObjectStore(dir);
            BackboneExport.write(store, a);
            BackboneExport.Descriptor d = BackboneExport.descriptor(store);
            assertEquals(18, d.depth());
            // byte-reproducible: no wall-clock time in the archive (DJL stamps zip entries with "now")
            try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(
                    Files.newInputStream(dir.resolve(BackboneExport.WEIGHTS)))) {
                int entries = 0;
                for (var e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                    assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0), e.getTimeLocal(), e.getName());
                    entries++;
                }
                assertEquals(a.online().backbone().block().getParameters().size(), entries);
            }
            assertEquals(64, d.inputSize());
            assertEquals(512, d.featureChannels());
            ResNet.Backbone b = BackboneExport.load(store, m);
            NDArray x = m.randomNormal(new Shape(1, 3, 64, 64));
            NDArray y1 = a.online().backbone().block().forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            NDArray y2 = b.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertArrayEquals(y1.toFloatArray(), y2.toFloatArray(), 1e-6f);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
