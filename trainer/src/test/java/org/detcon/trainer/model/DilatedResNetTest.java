package org.detcon.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import org.detcon.trainer.checkpoint.ParameterFiles;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/**
 * The dilated backbone (output stride 16) takes the plain backbone's weights unchanged, and in inference mode its
 * output at even positions is the plain output (the "à trous" identity: a stride-2 convolution is the stride-1 one
 * sampled at even positions, and a convolution dilated by 2 on the dense map reads exactly the even neighbours).
 */
class DilatedResNetTest {

    @Test
    void sameWeightsOutputStride16AndEvenPositionsEqualThePlainOutput() throws IOException {
        for (int depth : new int[] {18, 50}) {
            ResNetConfig c = new ResNetConfig(depth, 1);
            try (NDManager m = Torch.newManager()) {
                Shape in = new Shape(1, 3, 64, 96);
                ResNet.Backbone plain = ResNet.build(c);
                plain.block().initialize(m, DataType.FLOAT32, in);
                randomize(plain, m);
                ResNet.Backbone dilated = ResNet.build(c, 16);
                dilated.block().initialize(m, DataType.FLOAT32, in);
                // the same names and shapes: an export of the plain backbone loads as it is
                ParameterFiles.decodeInto(ParameterFiles.encode(plain.block()), dilated.block(), m);
                NDArray x = m.randomNormal(in);
                NDArray a = plain.block().forward(new ParameterStore(m, false), new NDList(x), false)
                        .singletonOrThrow();
                NDArray b = dilated.block().forward(new ParameterStore(m, false), new NDList(x), false)
                        .singletonOrThrow();
                assertEquals(new Shape(1, c.featureChannels(), 2, 3), a.getShape(), "plain, R" + depth);
                assertEquals(new Shape(1, c.featureChannels(), 4, 6), b.getShape(), "dilated, R" + depth);
                NDArray even = b.get(new NDIndex(":, :, ::2, ::2"));
                double diff = even.sub(a).abs().max().getFloat();
                double scale = a.abs().max().getFloat();
                assertTrue(scale > 0.1, "non-trivial output, R" + depth);
                assertTrue(diff <= 1e-4 * scale, "R" + depth + ": max diff " + diff + " of " + scale);
                // the odd positions are new values, not copies
                assertTrue(b.get(new NDIndex(":, :, 1::2, 1::2")).sub(a).abs().max().getFloat() > 1e-3 * scale);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ResNet.build(new ResNetConfig(18, 1), 8));
    }

    /** Random weights, batch-norm γ included (zero-initialised ones would hide the residual branches). */
    private static void randomize(ResNet.Backbone b, NDManager m) {
        for (Pair<String, Parameter> p : b.block().getParameters()) {
            NDArray a = p.getValue().getArray();
            NDArray v = switch (p.getValue().getType()) {
                case GAMMA, RUNNING_VAR -> m.randomUniform(0.5f, 1.5f, a.getShape());
                case BETA, RUNNING_MEAN -> m.randomUniform(-0.2f, 0.2f, a.getShape());
                default -> m.randomNormal(0, (float) Math.sqrt(2.0 / (a.getShape().size() / a.getShape().get(0))),
                        a.getShape(), DataType.FLOAT32);
            };
            v.copyTo(a);
        }
    }
}
