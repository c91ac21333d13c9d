package org.detcon.eval.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.eval.heads.Golden;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/** berHu and cross-entropy with ignore against PyTorch, value and gradient (losses.json). */
class LossesGoldenTest {

    @Test
    void berHuMatchesTorch() {
        JsonNode f = Golden.load("losses.json").get("berhu");
        try (NDManager m = Torch.newManager()) {
            NDArray pred = Golden.array(m, f.get("pred"));
            pred.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = BerHu.loss(pred, Golden.array(m, f.get("gt")));
                assertEquals(f.get("loss").asDouble(), loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            Golden.assertClose(f.get("grad"), pred.getGradient(), 1e-6, "berHu gradient");
            // no error at all: loss 0 and a finite (zero) gradient
            NDArray p = m.create(new float[] {1, 2, 3}).reshape(1, 1, 1, 3);
            p.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = BerHu.loss(p, m.create(new float[] {1, 2, 3}).reshape(1, 1, 1, 3));
                assertEquals(0, loss.getFloat(), 0);
                gc.backward(loss);
            }
            assertEquals(0, p.getGradient().abs().sum().getFloat(), 0);
        }
    }

    @Test
    void crossEntropyIgnoringMatchesTorch() {
        JsonNode f = Golden.load("losses.json").get("cross_entropy");
        try (NDManager m = Torch.newManager()) {
            NDArray logits = Golden.array(m, f.get("logits"));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = CrossEntropy.loss(logits, Golden.intArray(m, f.get("labels")), 255);
                assertEquals(f.get("loss").asDouble(), loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            Golden.assertClose(f.get("grad"), logits.getGradient(), 1e-6, "cross-entropy gradient");
            // every pixel ignored: 0, not NaN
            NDArray all = m.full(new ai.djl.ndarray.types.Shape(1, 2, 2), 255).toType(
                    ai.djl.ndarray.types.DataType.INT32, false);
            assertEquals(0, CrossEntropy.loss(m.ones(new ai.djl.ndarray.types.Shape(1, 3, 2, 2)), all, 255)
                    .getFloat(), 0);
        }
    }
}
