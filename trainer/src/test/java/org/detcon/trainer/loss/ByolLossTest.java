package org.detcon.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.trainer.Fixtures;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

class ByolLossTest {

    @Test
    void matchesGoldenValuesAndGradients() {
        for (JsonNode c : Fixtures.load("detcon_loss.json").get("byol")) {
            try (NDManager m = Torch.newManager()) {
                NDArray p1 = Fixtures.array(m, c.get("p1"));
                NDArray p2 = Fixtures.array(m, c.get("p2"));
                NDArray t1 = Fixtures.array(m, c.get("t1"));
                NDArray t2 = Fixtures.array(m, c.get("t2"));
                assertEquals(c.get("loss").asDouble(), ByolLoss.compute(p1.toType(DataType.FLOAT32, false),
                        p2.toType(DataType.FLOAT32, false), t1.toType(DataType.FLOAT32, false),
                        t2.toType(DataType.FLOAT32, false)).getFloat(), 1e-5);
                p1.setRequiresGradient(true);
                p2.setRequiresGradient(true);
                t1.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray l = ByolLoss.compute(p1, p2, t1, t2);
                    assertEquals(c.get("loss").asDouble(), l.getDouble(), 1e-12);
                    gc.backward(l);
                }
                assertTrue(Fixtures.maxAbsDiff(Fixtures.array(m, c.get("grad_p1")).toDoubleArray(),
                        p1.getGradient().toDoubleArray()) < 1e-12);
                assertTrue(Fixtures.maxAbsDiff(Fixtures.array(m, c.get("grad_p2")).toDoubleArray(),
                        p2.getGradient().toDoubleArray()) < 1e-12);
                // stop-gradient on targets
                assertEquals(0.0, t1.getGradient().abs().sum().toType(DataType.FLOAT64, false).getDouble(), 0.0);
            }
        }
    }

    @Test
    void identicalDirectionsGiveZero() {
        try (NDManager m = Torch.newManager()) {
            NDArray p = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 5));
            assertEquals(0.0, ByolLoss.compute(p, p, p.mul(2), p.mul(3)).getFloat(), 1e-5);
        }
    }
}
