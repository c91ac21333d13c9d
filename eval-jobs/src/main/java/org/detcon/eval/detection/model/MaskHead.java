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
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code MaskRCNNHeads} + {@code MaskRCNNPredictor}: {@code layers} 3×3 convs ({@code channels} each,
 * with bias) + ReLU on the pooled {@code [R, C, 14, 14]} features, a learned 2× upsampling ({@link Upsample2x}) +
 * ReLU, and a 1×1 conv to one mask logit map per class: {@code [R, K, 28, 28]}. Weights start
 * {@code kaiming_normal_(mode="fan_out")}, biases 0.
 */
public final class MaskHead extends AbstractBlock {

    private final List<Conv2d> convs = new ArrayList<>();
    private final Upsample2x upsample;
    private final Conv2d logits;
    private final int channels;
    private final int numClasses;

    public MaskHead(int layers, int channels, int numClasses) {
        this.channels = channels;
        this.numClasses = numClasses;
        for (int i = 0; i < layers; i++) {
            convs.add(addChildBlock("mask_fcn" + (i + 1), Conv2d.builder().setFilters(channels)
                    .setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build()));
        }
        this.upsample = addChildBlock("conv5_mask", new Upsample2x(channels, channels));
        this.logits = addChildBlock("mask_fcn_logits", Conv2d.builder().setFilters(numClasses)
                .setKernelShape(new Shape(1, 1)).build());
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT,
                2), Parameter.Type.WEIGHT);
    }

    public List<Conv2d> convs() {
        return convs;
    }

    public Upsample2x upsample() {
        return upsample;
    }

    public Conv2d logits() {
        return logits;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Conv2d c : convs) {
            x = c.forward(ps, new NDList(x), training).singletonOrThrow().getNDArrayInternal().relu();
        }
        x = upsample.forward(ps, new NDList(x), training).singletonOrThrow().getNDArrayInternal().relu();
        return logits.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), numClasses, 2 * s.get(2), 2 * s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape x = s;
        for (Conv2d c : convs) {
            c.initialize(manager, dataType, x);
            x = new Shape(s.get(0), channels, s.get(2), s.get(3));
        }
        upsample.initialize(manager, dataType, x);
        logits.initialize(manager, dataType, new Shape(s.get(0), channels, 2 * s.get(2), 2 * s.get(3)));
    }
}
