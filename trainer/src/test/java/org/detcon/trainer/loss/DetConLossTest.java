package org.detcon.trainer.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import org.detcon.trainer.Fixtures;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/** Golden values from tools/fixtures/make_detcon_loss_fixtures.py (a loop-by-loop float64 implementation). */
class DetConLossTest {

    private static final JsonNode FIX = Fixtures.load("detcon_loss.json");
    private final DetConLoss loss = new DetConLoss();

    @Test
    void matchesGoldenLossesInFloat32AndFloat64() {
        int n = 0;
        for (JsonNode c : FIX.get("detcon")) {
            for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                try (NDManager m = Torch.newManager()) {
                    DetConLoss.Result r = run(m, c, dt, false);
                    assertEquals(dt, r.loss().getDataType());
                    double tol = dt == DataType.FLOAT64 ? 1e-10 : 2e-5;
                    String what = c.get("name").asText() + " " + dt;
                    assertEquals(c.get("loss1").asDouble(), scalar(r.loss1()), tol * 10, what + " loss1");
                    assertEquals(c.get("loss2").asDouble(), scalar(r.loss2()), tol * 10, what + " loss2");
                    assertEquals(c.get("loss").asDouble(), scalar(r.loss()), tol * 10, what + " loss");
                    n++;
                }
            }
        }
        assertEquals(10, n);
    }

    @Test
    void gradientsMatchTorchAutograd() {
        for (JsonNode c : FIX.get("detcon")) {
            try (NDManager m = Torch.newManager()) {
                boolean b = "B".equals(c.get("variant").asText());
                NDArray x1 = Fixtures.array(m, c.get(b ? "p1" : "z1"));
                NDArray x2 = Fixtures.array(m, c.get(b ? "p2" : "z2"));
                x1.setRequiresGradient(true);
                x2.setRequiresGradient(true);
                NDArray i1 = ids(m, c.get("ind1"));
                NDArray i2 = ids(m, c.get("ind2"));
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray l = b
                            ? loss.detconB(x1, x2, Fixtures.array(m, c.get("t1")), Fixtures.array(m, c.get("t2")),
                                    i1, i2).loss()
                            : loss.detconS(x1, x2, i1, i2).loss();
                    gc.backward(l);
                }
                String g = b ? "grad_p" : "grad_z";
                double[] e1 = Fixtures.array(m, c.get(g + "1")).toDoubleArray();
                double[] e2 = Fixtures.array(m, c.get(g + "2")).toDoubleArray();
                assertTrue(Fixtures.maxAbsDiff(e1, x1.getGradient().toDoubleArray()) < 1e-10, c.get("name").asText());
                assertTrue(Fixtures.maxAbsDiff(e2, x2.getGradient().toDoubleArray()) < 1e-10, c.get("name").asText());
            }
        }
    }

    /**
     * Central finite differences in float64 (DJL's PyTorch engine supports it) against DJL autograd, on a tiny
     * DetCon_S case where every input feeds both roles. With h = 1e-5 the truncation error is O(h²·f''') ≈ 1e-9
     * and the rounding error ≈ 1e-16/h ≈ 1e-11, so 1e-6 absolute is a safe bound.
     */
    @Test
    void finiteDifferenceGradientCheck() {
        try (NDManager m = Torch.newManager()) {
            Random rnd = new Random(7);
            int b = 2;
            int r = 3;
            int d = 4;
            double[] z1 = new double[b * r * d];
            double[] z2 = new double[b * r * d];
            for (int i = 0; i < z1.length; i++) {
                z1[i] = rnd.nextGaussian();
                z2[i] = rnd.nextGaussian();
            }
            NDArray i1 = m.create(new long[] {0, 0, 1, 2, 3, 2}, new Shape(b, r));
            NDArray i2 = m.create(new long[] {1, 0, 4, 3, 3, 3}, new Shape(b, r));
            NDArray a1 = m.create(z1, new Shape(b, r, d));
            NDArray a2 = m.create(z2, new Shape(b, r, d));
            a1.setRequiresGradient(true);
            a2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(loss.detconS(a1, a2, i1, i2).loss());
            }
            double[] g1 = a1.getGradient().toDoubleArray();
            double h = 1e-5;
            double maxErr = 0;
            for (int k = 0; k < z1.length; k++) {
                double[] plus = z1.clone();
                double[] minus = z1.clone();
                plus[k] += h;
                minus[k] -= h;
                double fp = eval(m, plus, z2, i1, i2, b, r, d);
                double fm = eval(m, minus, z2, i1, i2, b, r, d);
                maxErr = Math.max(maxErr, Math.abs((fp - fm) / (2 * h) - g1[k]));
            }
            assertTrue(maxErr < 1e-6, "finite-difference error " + maxErr);
            double norm = 0;
            for (double v : g1) {
                norm += v * v;
            }
            assertTrue(norm > 1e-4, "gradient should not be trivially zero");
        }
    }

    @Test
    void rowWithoutPositiveHasZeroWeightAndRepeatedDrawsAreDownWeighted() {
        try (NDManager m = Torch.newManager()) {
            // one image, R=2, both draws of label 5 in view 1; view 2 never has label 5 -> no positives at all
            NDArray p = m.randomNormal(new Shape(1, 2, 4));
            NDArray q = m.randomNormal(new Shape(1, 2, 4));
            NDArray i1 = m.create(new long[] {5, 5}, new Shape(1, 2));
            NDArray i2 = m.create(new long[] {1, 2}, new Shape(1, 2));
            DetConLoss.Result r = loss.compute(p, q, p, q, i1, i2);
            assertEquals(0.0, scalar(r.loss()), 0.0);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (NDManager m = Torch.newManager()) {
            NDArray p = m.zeros(new Shape(2, 3, 4));
            NDArray ids = m.zeros(new Shape(2, 2), DataType.INT64);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(p, p, p, p, ids, ids));
        }
    }

    private double eval(NDManager m, double[] z1, double[] z2, NDArray i1, NDArray i2, int b, int r, int d) {
        try (NDManager s = m.newSubManager()) {
            NDArray a = s.create(z1, new Shape(b, r, d));
            NDArray c = s.create(z2, new Shape(b, r, d));
            return loss.detconS(a, c, i1, i2).loss().getDouble();
        }
    }

    private DetConLoss.Result run(NDManager m, JsonNode c, DataType dt, boolean unused) {
        NDArray i1 = ids(m, c.get("ind1"));
        NDArray i2 = ids(m, c.get("ind2"));
        if ("B".equals(c.get("variant").asText())) {
            return loss.detconB(f(m, c, "p1", dt), f(m, c, "p2", dt), f(m, c, "t1", dt), f(m, c, "t2", dt), i1, i2);
        }
        return loss.detconS(f(m, c, "z1", dt), f(m, c, "z2", dt), i1, i2);
    }

    private static NDArray f(NDManager m, JsonNode c, String key, DataType dt) {
        return Fixtures.array(m, c.get(key)).toType(dt, false);
    }

    private static NDArray ids(NDManager m, JsonNode node) {
        return Fixtures.array(m, node).toType(DataType.INT64, false);
    }

    private static double scalar(NDArray x) {
        return x.toType(DataType.FLOAT64, false).getDouble();
    }
}
