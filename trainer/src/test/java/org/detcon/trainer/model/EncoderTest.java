package org.detcon.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

class EncoderTest {

    @Test
    void maskPoolingIsAWeightedMeanOverCells() {
        try (NDManager m = Torch.newManager()) {
            // N=1, C=2, 2x2 grid: channel 0 = cells 1..4, channel 1 = 10 x cells
            NDArray f = m.create(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, new Shape(1, 2, 2, 2));
            NDArray w = m.create(new float[] {1, 0, 0, 0, 0.5f, 0.5f, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f},
                    new Shape(1, 3, 4));
            NDArray p = MaskPooling.pool(f, w);
            assertEquals(new Shape(1, 3, 2), p.getShape());
            assertArrayEquals(new float[] {1, 10, 1.5f, 15, 2.5f, 25}, p.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void encoderOutputShapes() {
        try (NDManager m = Torch.newManager()) {
            Encoder e = new Encoder(new ResNetConfig(18, 1), new HeadConfig(64, 16), new HeadConfig(32, 16));
            Shape x = new Shape(2, 3, 64, 64);
            Shape w = new Shape(2, 5, 4);
            e.initialize(m, DataType.FLOAT32, x, w);
            NDList out = e.forward(new ParameterStore(m, false), new NDList(m.randomNormal(x),
                    m.ones(w).div(4)), true);
            assertEquals(new Shape(2, 5, 16), out.get(0).getShape());
            assertEquals(new Shape(2, 5, 16), out.get(1).getShape());
            assertArrayEquals(new Shape[] {new Shape(2, 5, 16), new Shape(2, 5, 16)},
                    e.getOutputShapes(new Shape[] {x, w}));
        }
    }
}
