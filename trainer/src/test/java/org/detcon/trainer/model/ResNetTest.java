package org.detcon.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.stream.Collectors;
import org.detcon.trainer.Fixtures;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

class ResNetTest {

    private static final JsonNode COUNTS = Fixtures.load("detcon_loss.json").get("resnet_params");

    /** Trainable parameters: everything but batch-norm running statistics (DJL stores those as parameters). */
    static long trainableCount(ai.djl.nn.Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    @Test
    void parameterCountsEqualTorchvisionWithoutFc() {
        for (String key : new String[] {"18x1", "34x1", "50x1", "18x2"}) {
            String[] dw = key.split("x");
            ResNetConfig c = new ResNetConfig(Integer.parseInt(dw[0]), Integer.parseInt(dw[1]));
            try (NDManager m = Torch.newManager()) {
                ResNet.Backbone b = ResNet.build(c);
                b.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
                assertEquals(COUNTS.get(key).get("params").asLong(), trainableCount(b.block()), key);
                assertEquals(COUNTS.get(key).get("features").asInt(), c.featureChannels(), key);
            }
        }
        // the published torchvision numbers, for the record (fixture script asserts these too)
        assertEquals(11_176_512L, COUNTS.get("18x1").get("params").asLong());
        assertEquals(23_508_032L, COUNTS.get("50x1").get("params").asLong());
    }

    @Test
    void outputShapesAndZeroInitGamma() {
        try (NDManager m = Torch.newManager()) {
            ResNet.Backbone r18 = ResNet.build(new ResNetConfig(18, 1));
            r18.block().initialize(m, DataType.FLOAT32, new Shape(2, 3, 224, 224));
            NDArray out = r18.block().forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(2, 3, 224, 224))), false).singletonOrThrow();
            assertEquals(new Shape(2, 512, 7, 7), out.getShape());
            assertEquals(8, r18.zeroInitNorms().size());
            checkGammas(r18);

            ResNet.Backbone r50 = ResNet.build(new ResNetConfig(50, 1));
            r50.block().initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            NDArray o50 = r50.block().forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(1, 3, 64, 64))), true).singletonOrThrow();
            assertEquals(new Shape(1, 2048, 2, 2), o50.getShape());
            assertEquals(16, r50.zeroInitNorms().size());
            checkGammas(r50);
        }
    }

    private static void checkGammas(ResNet.Backbone b) {
        Set<String> zeroIds = b.zeroInitNorms().stream().flatMap(n -> n.getParameters().values().stream())
                .filter(p -> p.getType() == Parameter.Type.GAMMA).map(Parameter::getId).collect(Collectors.toSet());
        assertEquals(b.zeroInitNorms().size(), zeroIds.size());
        int ones = 0;
        for (Pair<String, Parameter> p : b.block().getParameters()) {
            if (p.getValue().getType() != Parameter.Type.GAMMA) {
                continue;
            }
            float expected = zeroIds.contains(p.getValue().getId()) ? 0f : 1f;
            NDArray g = p.getValue().getArray();
            assertEquals(expected, g.min().getFloat(), 0f, p.getKey());
            assertEquals(expected, g.max().getFloat(), 0f, p.getKey());
            ones += expected == 1f ? 1 : 0;
        }
        assertEquals(true, ones > 0);
        for (BatchNorm n : b.zeroInitNorms()) {
            assertEquals(true, n.isInitialized());
        }
    }
}
