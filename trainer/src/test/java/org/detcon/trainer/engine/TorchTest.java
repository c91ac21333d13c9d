package org.detcon.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

class TorchTest {

    @Test
    void loadsOfflineFromClasspathJar() {
        Engine e = Torch.engine();
        assertEquals("PyTorch", e.getEngineName());
        assertTrue(Utils.isOfflineMode());
        // any HTTP access through DJL's URL helper fails fast in offline mode
        boolean refused = false;
        try {
            Utils.openUrl("https://publish.djl.ai/pytorch/2.7.1/files.txt").close();
        } catch (java.io.IOException ex) {
            refused = ex.getMessage().contains("Offline");
        }
        assertTrue(refused, "DJL must refuse network access in offline mode");
    }

    @Test
    void float64AutogradWorks() {
        try (NDManager m = Torch.newManager()) {
            NDArray x = m.create(new double[] {1.0, 2.0, 3.0});
            assertEquals(DataType.FLOAT64, x.getDataType());
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = x.mul(x).sum();
                gc.backward(y);
            }
            double[] g = x.getGradient().toDoubleArray();
            assertEquals(2.0, g[0], 1e-12);
            assertEquals(6.0, g[2], 1e-12);
        }
    }

    @Test
    void parametersCanBeUpdatedInPlaceOnAnyThread() throws Exception {
        Torch.engine(); // loaded here, on the test's thread
        Throwable[] failure = new Throwable[1];
        float[][] out = new float[1][];
        Thread t = new Thread(() -> {
            try (NDManager m = Torch.newManager()) {
                NDArray w = m.create(new float[] {1f, 2f});
                w.setRequiresGradient(true);
                w.addi(1f); // what an optimizer or a checkpoint restore does to a parameter
                out[0] = w.toFloatArray();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        assertEquals(null, failure[0]);
        assertEquals(3f, out[0][1]);
    }
}
