package org.detcon.eval.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/** Bilinear upsampling against PyTorch's interpolate (align_corners=False), forward and backward (losses.json). */
class BilinearTest {

    @Test
    void matchesTorchInterpolate() {
        JsonNode f = Golden.load("losses.json").get("upsample");
        try (NDManager m = Torch.newManager()) {
            NDArray x = Golden.array(m, f.get("input"));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = Bilinear.resize(x, f.get("size").get(0).asInt(), f.get("size").get(1).asInt());
                Golden.assertClose(f.get("output"), y, 1e-6, "upsampled");
                gc.backward(y.mul(Golden.array(m, f.get("weights_of_output"))).sum());
            }
            Golden.assertClose(f.get("grad"), x.getGradient(), 1e-6, "gradient");
            NDArray same = m.ones(new Shape(1, 1, 3, 4));
            assertSame(same, Bilinear.resize(same, 3, 4));
            // each row of an interpolation matrix sums to 1
            float[] a = Bilinear.matrix(5, 13);
            for (int d = 0; d < 13; d++) {
                float s = 0;
                for (int i = 0; i < 5; i++) {
                    s += a[d * 5 + i];
                }
                assertEquals(1f, s, 1e-6f);
            }
        }
    }
}
