package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * torchvision's {@code TwoMLPHead} + {@code FastRCNNPredictor}: pooled features {@code [R, C, 7, 7]} flattened,
 * fc6 + ReLU, fc7 + ReLU (the representation), then a class-logit layer ({@code numClasses}) and a box-delta layer
 * ({@code 4·numClasses}). Weights start as PyTorch's {@code nn.Linear} ({@code U(±1/√fan_in)}), biases 0.
 * Output: logits {@code [R, K]}, deltas {@code [R, 4K]}.
 */
public final class BoxHead extends AbstractBlock {

    private final Linear fc6;
    private final Linear fc7;
    private final Linear clsScore;
    private final Linear bboxPred;
    private final long inFeatures;
    private final int representation;

    public BoxHead(int channels, int poolSize, int representation, int numClasses) {
        this.inFeatures = (long) channels * poolSize * poolSize;
        this.representation = representation;
        this.fc6 = addChildBlock("fc6", Linear.builder().setUnits(representation).build());
        this.fc7 = addChildBlock("fc7", Linear.builder().setUnits(representation).build());
        this.clsScore = addChildBlock("cls_score", Linear.builder().setUnits(numClasses).build());
        this.bboxPred = addChildBlock("bbox_pred", Linear.builder().setUnits(4L * numClasses).build());
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN,
                1), Parameter.Type.WEIGHT);
    }

    public Linear fc6() {
        return fc6;
    }

    public Linear fc7() {
        return fc7;
    }

    public Linear clsScore() {
        return clsScore;
    }

    public Linear bboxPred() {
        return bboxPred;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = x.reshape(x.getShape().get(0), inFeatures);
        x = fc6.forward(ps, new NDList(x), training).singletonOrThrow().getNDArrayInternal().relu();
        x = fc7.forward(ps, new NDList(x), training).singletonOrThrow().getNDArrayInternal().relu();
        NDArray logits = clsScore.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray deltas = bboxPred.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(logits, deltas);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long r = inputs[0].get(0);
        Shape rep = new Shape(r, representation);
        return new Shape[] {clsScore.getOutputShapes(new Shape[] {rep})[0],
            bboxPred.getOutputShapes(new Shape[] {rep})[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long r = inputShapes[0].get(0);
        fc6.initialize(manager, dataType, new Shape(r, inFeatures));
        Shape rep = new Shape(r, representation);
        fc7.initialize(manager, dataType, rep);
        clsScore.initialize(manager, dataType, rep);
        bboxPred.initialize(manager, dataType, rep);
    }
}
