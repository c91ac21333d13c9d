package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code FeaturePyramidNetwork} with {@code LastLevelMaxPool}: for C2..C5, a 1×1 lateral conv each;
 * top-down, the coarser merged map is upsampled (nearest) to the lateral's size and added; a 3×3 conv on every
 * merged map gives P2..P5; P6 is P5 subsampled by 2 (max pool with a 1×1 window, stride 2). Convs have biases and
 * start as torchvision's ({@code kaiming_uniform_(a=1)}, zero bias). Input: C2..C5; output: P2..P6.
 */
public final class FeaturePyramid extends AbstractBlock {

    private final List<Conv2d> inner = new ArrayList<>();
    private final List<Conv2d> layer = new ArrayList<>();
    private final int[] inChannels;
    private final int channels;

    public FeaturePyramid(int[] inChannels, int channels) {
        this.inChannels = inChannels.clone();
        this.channels = channels;
        for (int i = 0; i < inChannels.length; i++) {
            inner.add(addChildBlock("inner" + i, conv(channels, 1)));
        }
        for (int i = 0; i < inChannels.length; i++) {
            layer.add(addChildBlock("layer" + i, conv(channels, 3)));
        }
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN,
                3), Parameter.Type.WEIGHT);
    }

    private static Conv2d conv(int filters, int k) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(k, k)).optPadding(new Shape(k / 2, k / 2))
                .build();
    }

    public int channels() {
        return channels;
    }

    public List<Conv2d> innerBlocks() {
        return inner;
    }

    public List<Conv2d> layerBlocks() {
        return layer;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        int n = inputs.size();
        NDArray[] results = new NDArray[n];
        NDArray last = inner.get(n - 1).forward(ps, new NDList(inputs.get(n - 1)), training).singletonOrThrow();
        results[n - 1] = layer.get(n - 1).forward(ps, new NDList(last), training).singletonOrThrow();
        for (int i = n - 2; i >= 0; i--) {
            NDArray lateral = inner.get(i).forward(ps, new NDList(inputs.get(i)), training).singletonOrThrow();
            last = lateral.add(upsampleNearest(last, lateral.getShape().get(2), lateral.getShape().get(3)));
            results[i] = layer.get(i).forward(ps, new NDList(last), training).singletonOrThrow();
        }
        NDList out = new NDList(n + 1);
        for (NDArray r : results) {
            out.add(r);
        }
        out.add(results[n - 1].get(new NDIndex(":, :, ::2, ::2")));
        return out;
    }

    /**
     * PyTorch's {@code interpolate(x, size, mode="nearest")}: source index {@code ⌊dst·in/out⌋}; a plain repeat when
     * the size doubles exactly.
     */
    static NDArray upsampleNearest(NDArray x, long outH, long outW) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (outH == 2 * h && outW == 2 * w) {
            return x.repeat(2, 2).repeat(3, 2);
        }
        NDManager m = x.getManager();
        // the index arrays stay open with x's scope: the backward pass reads them
        return x.get(new NDIndex(":, :, {}", m.create(nearest(h, outH))))
                .get(new NDIndex(":, :, :, {}", m.create(nearest(w, outW))));
    }

    private static long[] nearest(long in, long out) {
        float scale = (float) in / out;
        long[] idx = new long[(int) out];
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min((long) Math.floor(i * scale), in - 1);
        }
        return idx;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] out = new Shape[inputs.length + 1];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = new Shape(inputs[i].get(0), channels, inputs[i].get(2), inputs[i].get(3));
        }
        Shape last = out[inputs.length - 1];
        out[inputs.length] = new Shape(last.get(0), channels, (last.get(2) + 1) / 2, (last.get(3) + 1) / 2);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < inChannels.length; i++) {
            Shape s = inputShapes[i];
            inner.get(i).initialize(manager, dataType, s);
            layer.get(i).initialize(manager, dataType, new Shape(s.get(0), channels, s.get(2), s.get(3)));
        }
    }
}
