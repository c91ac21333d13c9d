package org.detcon.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.trainer.Fixtures;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/** Two SGD steps against torch.optim.SGD (tools/fixtures/make_finetune_fixtures.py, schedules_sgd.json). */
class SgdTest {

    @Test
    void twoStepsMatchTorch() {
        JsonNode f = Fixtures.load("schedules_sgd.json").get("sgd");
        double[] lr = {f.get("lr").get(0).asDouble(), f.get("lr").get(1).asDouble()};
        Sgd opt = Sgd.of(new SgdConfig(f.get("momentum").asDouble(), f.get("weight_decay").asDouble()),
                k -> lr[(int) k]);
        try (NDManager m = Torch.newManager()) {
            NDArray w = Fixtures.array(m, f.get("weight")).toType(DataType.FLOAT32, false);
            for (int k = 0; k < 2; k++) {
                NDArray g = Fixtures.array(m, f.get("grads").get(k)).toType(DataType.FLOAT32, false);
                opt.update("w", w, g);
                JsonNode after = f.get("after").get(k);
                assertClose(Fixtures.array(m, after.get("weight")), w, 1e-6);
                assertClose(Fixtures.array(m, after.get("momentum")), opt.momentumState("w", w.getDevice()), 1e-6);
                assertEquals(lr[k], opt.lastLearningRate(), 0);
            }
        }
        opt.release();
    }

    static void assertClose(NDArray expected, NDArray actual, double tol) {
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(e.length, a.length);
        double d = Fixtures.maxAbsDiff(e, a);
        assertTrue(d <= tol, "max abs diff " + d);
    }
}
