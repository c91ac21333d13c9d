package org.detcon.eval.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.eval.loss.CrossEntropy;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/**
 * The FCN head (with bilinear upsampling and cross-entropy ignoring 255) and Laina's up-projection block, forward
 * and backward on fixed weights, against PyTorch's layers (fcn_head.json, up_projection.json). The up-projection
 * reference is written as its definition (zero-insertion unpooling, then a 5×5 convolution), so the fast form's
 * exactness is tested too.
 */
class HeadsGoldenTest {

    @Test
    void fcnHeadForwardBackwardAndRunningStatistics() {
        JsonNode f = Golden.load("fcn_head.json");
        JsonNode c = f.get("config");
        try (NDManager m = Torch.newManager()) {
            Block head = FcnHead.build(c.get("channels").asInt(), c.get("dilation").asInt(),
                    c.get("classes").asInt());
            NDArray x = Golden.array(m, f.get("input"));
            head.initialize(m, DataType.FLOAT32, x.getShape());
            Golden.setParameters(head, m, f.get("params"));
            x.setRequiresGradient(true);
            NDArray labels = Golden.intArray(m, f.get("labels"));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = head.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                NDArray logits = Bilinear.resize(y, c.get("out_size").get(0).asInt(),
                        c.get("out_size").get(1).asInt());
                NDArray loss = CrossEntropy.loss(logits, labels, 255);
                Golden.assertClose(f.get("logits"), logits, 1e-5, "logits");
                assertEquals(f.get("loss").asDouble(), loss.getFloat(), 1e-5);
                gc.backward(loss);
            }
            Golden.assertClose(f.get("grad_input"), x.getGradient(), 1e-5, "input gradient");
            int i = 0;
            int stats = 0;
            for (Pair<String, Parameter> p : head.getParameters()) {
                String name = f.get("param_names").get(i++).asText();
                Parameter.Type t = p.getValue().getType();
                if (t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR) {
                    Golden.assertClose(f.get("running_after").get(stats++), p.getValue().getArray(), 1e-5, name);
                } else {
                    Golden.assertClose(f.get("grads").get(name), p.getValue().getArray().getGradient(), 1e-5,
                            name + " gradient");
                }
            }
            assertEquals(4, stats);
        }
    }

    @Test
    void upProjectionEqualsUnpoolingThenConvolutionForwardAndBackward() {
        JsonNode f = Golden.load("up_projection.json");
        int out = f.get("config").get("out_channels").asInt();
        try (NDManager m = Torch.newManager()) {
            NDArray x = Golden.array(m, f.get("input"));
            NDArray r = Golden.array(m, f.get("weights_of_output"));
            // the up-convolution alone
            FastUpConv up = new FastUpConv(out);
            up.initialize(m, DataType.FLOAT32, x.getShape());
            Golden.setParameters(up, m, oneParam(f));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = up.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                Golden.assertClose(f.get("upconv").get("output"), y, 1e-5, "up-convolution");
                gc.backward(y.mul(r).sum());
            }
            Golden.assertClose(f.get("upconv").get("grad_input"), x.getGradient(), 1e-5, "up-conv input gradient");
            Golden.assertClose(f.get("upconv").get("grad_weight"),
                    up.getParameters().valueAt(0).getArray().getGradient(), 1e-5, "up-conv weight gradient");

            // the whole block, batch norm in training mode
            NDArray x2 = Golden.array(m, f.get("input"));
            Block block = UpProjection.build(out);
            block.initialize(m, DataType.FLOAT32, x2.getShape());
            Golden.setParameters(block, m, f.get("params"));
            x2.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x2), true).singletonOrThrow();
                assertEquals(new Shape(2, out, 6, 8), y.getShape());
                Golden.assertClose(f.get("output"), y, 1e-5, "up-projection");
                gc.backward(y.mul(r).sum());
            }
            Golden.assertClose(f.get("grad_input"), x2.getGradient(), 1e-5, "up-projection input gradient");
            int i = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                String name = f.get("param_names").get(i++).asText();
                if (f.get("grads").has(name)) {
                    Golden.assertClose(f.get("grads").get(name), p.getValue().getArray().getGradient(), 1e-5,
                            name + " gradient");
                }
            }
        }
    }

    private static JsonNode oneParam(JsonNode f) {
        return new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add(f.get("params").get(0));
    }

    /** A training step in its own scope leaves no array behind on the model's manager (the kernel is per step). */
    @Test
    void upProjectionStepsLeaveNothingOnTheModelsManager() {
        try (NDManager model = Torch.newManager()) {
            Block block = UpProjection.build(4);
            Shape in = new Shape(2, 6, 3, 4);
            block.initialize(model, DataType.FLOAT32, in);
            int[] counts = new int[3];
            for (int step = 0; step < 3; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = scope.randomNormal(in);
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray y = block.forward(new ParameterStore(scope, false), new NDList(x), true)
                                .singletonOrThrow();
                        gc.backward(y.sum());
                    }
                }
                counts[step] = model.getManagedArrays().size();
            }
            assertEquals(counts[0], counts[2], "arrays on the model's manager after steps 1, 2, 3: "
                    + java.util.Arrays.toString(counts));
        }
    }
}
