package org.detcon.eval.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.trainer.Fixtures;

/**
 * The fine-tuning golden fixtures (tools/fixtures/make_finetune_fixtures.py): read by the trainer's {@link Fixtures}
 * (float32 here), compared with a relative tolerance.
 */
public final class Golden {

    private Golden() {
    }

    public static JsonNode load(String name) {
        return Fixtures.load("finetune/" + name);
    }

    /** A nested JSON number array as a float32 NDArray of its shape. */
    public static NDArray array(NDManager m, JsonNode node) {
        NDArray d = Fixtures.array(m, node);
        NDArray f = d.toType(DataType.FLOAT32, false);
        d.close();
        return f;
    }

    /** A nested JSON integer array as an int32 NDArray. */
    public static NDArray intArray(NDManager m, JsonNode node) {
        return array(m, node).toType(DataType.INT32, false);
    }

    /** Copies the fixture's parameter arrays, in order, into the block's parameters (shapes must match). */
    public static void setParameters(Block block, NDManager m, JsonNode params) {
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray v = array(m, params.get(i++));
            NDArray dst = p.getValue().getArray();
            assertArrayEquals(dst.getShape().getShape(), v.getShape().getShape(), p.getKey());
            v.copyTo(dst);
        }
        assertTrue(i == params.size(), "the block has " + i + " parameters, the fixture " + params.size());
    }

    /** Max |a − b| ≤ tol · max(1, max |b|). */
    public static void assertClose(JsonNode expected, NDArray actual, double tol, String what) {
        try (NDManager m = actual.getManager().newSubManager()) {
            NDArray e = array(m, expected);
            assertArrayEquals(e.getShape().getShape(), actual.getShape().getShape(), what + " shape");
            double diff = e.sub(actual.toType(DataType.FLOAT32, false)).abs().max().getFloat();
            double scale = Math.max(1, e.abs().max().getFloat());
            assertTrue(diff <= tol * scale, what + ": max abs diff " + diff + " (scale " + scale + ")");
        }
    }
}
