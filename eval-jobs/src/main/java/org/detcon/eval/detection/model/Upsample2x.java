package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A 2×2, stride-2 transposed convolution ({@code nn.ConvTranspose2d(in, out, 2, 2, 0)}), which DJL's PyTorch engine
 * lacks, as a 1×1 convolution to {@code 4·out} channels followed by depth-to-space: with a 2×2 kernel and stride 2
 * the output windows do not overlap, so {@code y[o, 2i+a, 2j+b] = bias[o] + Σ_c x[c, i, j]·W[c, o, a, b]} exactly.
 * The weight keeps PyTorch's layout {@code [in, out, 2, 2]} and starts as torchvision's mask predictor
 * ({@code kaiming_normal_(mode="fan_out")}: N(0, 2/(in·4))); the bias starts at 0.
 */
public final class Upsample2x extends AbstractBlock {

    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;

    public Upsample2x(int in, int out) {
        this.in = in;
        this.out = out;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(in, out, 2, 2)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build());
        weight.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        Shape s = x.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        // kernel [out·4, in, 1, 1] with output channel (o, a, b) = o·4 + a·2 + b; arrays derived from the
        // parameters go to the input's scope (on the parameters' manager they would live until the model closes)
        NDArray t = w.transpose(1, 2, 3, 0);
        t.attach(x.getManager());
        NDArray k = t.reshape(4L * out, in, 1, 1);
        NDArray y = x.getNDArrayInternal().convolution(x, k, null, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow();
        y = y.reshape(n, out, 2, 2, h, wd).transpose(0, 1, 4, 2, 5, 3).reshape(n, out, 2 * h, 2 * wd);
        NDArray b4 = b.reshape(1, out, 1, 1);
        b4.attach(x.getManager());
        return new NDList(y.add(b4));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), out, 2 * s.get(2), 2 * s.get(3))};
    }
}
