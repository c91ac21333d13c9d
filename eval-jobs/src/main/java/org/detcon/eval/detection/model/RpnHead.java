package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * torchvision's {@code RPNHead}, shared by every level: 3×3 conv + ReLU, then 1×1 convs to one objectness logit and
 * four box deltas per anchor; weights start N(0, 0.01²), biases 0. Input: the pyramid levels; output: the levels'
 * objectness maps {@code [N, A, H, W]} followed by their delta maps {@code [N, 4A, H, W]}.
 */
public final class RpnHead extends AbstractBlock {

    private final Conv2d conv;
    private final Conv2d cls;
    private final Conv2d bbox;
    private final int channels;
    private final int anchors;

    public RpnHead(int channels, int anchors) {
        this.channels = channels;
        this.anchors = anchors;
        this.conv = addChildBlock("conv", Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).build());
        this.cls = addChildBlock("cls_logits", Conv2d.builder().setFilters(anchors).setKernelShape(new Shape(1, 1))
                .build());
        this.bbox = addChildBlock("bbox_pred", Conv2d.builder().setFilters(4 * anchors)
                .setKernelShape(new Shape(1, 1)).build());
        setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    }

    public Conv2d conv() {
        return conv;
    }

    public Conv2d cls() {
        return cls;
    }

    public Conv2d bbox() {
        return bbox;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList logits = new NDList(inputs.size());
        NDList deltas = new NDList(inputs.size());
        for (NDArray x : inputs) {
            NDArray t = conv.forward(ps, new NDList(x), training).singletonOrThrow().getNDArrayInternal().relu();
            logits.add(cls.forward(ps, new NDList(t), training).singletonOrThrow());
            deltas.add(bbox.forward(ps, new NDList(t), training).singletonOrThrow());
        }
        logits.addAll(deltas);
        return logits;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] out = new Shape[2 * inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Shape s = inputs[i];
            out[i] = new Shape(s.get(0), anchors, s.get(2), s.get(3));
            out[inputs.length + i] = new Shape(s.get(0), 4L * anchors, s.get(2), s.get(3));
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape feat = new Shape(s.get(0), channels, s.get(2), s.get(3));
        conv.initialize(manager, dataType, feat);
        cls.initialize(manager, dataType, feat);
        bbox.initialize(manager, dataType, feat);
    }
}
