package org.detcon.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * backbone → mask pooling → projector (→ predictor). Input: images [N, 3, S, S] and mask weights [N, R, g·g]
 * (g = S/32); output: projections [N, R, P] and, with a predictor, predictions [N, R, P]. Global pooling (BYOL,
 * SimCLR as such) is the case R = 1 with uniform weights. Call it once per view (batch-norm statistics per view).
 * The projector and predictor see the N·R pooled vectors as one batch.
 */
public final class Encoder extends AbstractBlock {

    private final ResNet.Backbone backbone;
    private final SequentialBlock projector;
    private final SequentialBlock predictor;

    public Encoder(ResNetConfig resnet, HeadConfig projector, HeadConfig predictor) {
        this.backbone = ResNet.build(resnet);
        addChildBlock("backbone", backbone.block());
        this.projector = addChildBlock("projector", Heads.mlp(projector));
        this.predictor = predictor == null ? null : addChildBlock("predictor", Heads.mlp(predictor));
    }

    public ResNet.Backbone backbone() {
        return backbone;
    }

    public SequentialBlock projector() {
        return projector;
    }

    public SequentialBlock predictor() {
        return predictor;
    }

    public boolean hasPredictor() {
        return predictor != null;
    }

    /** The backbone's feature map only. */
    public NDArray features(ParameterStore ps, NDArray images, boolean training) {
        return backbone.block().forward(ps, new NDList(images), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray feats = features(ps, inputs.get(0), training);
        NDArray pooled = MaskPooling.pool(feats, inputs.get(1));                 // [N, R, C]
        Shape s = pooled.getShape();
        NDArray flat = pooled.reshape(s.get(0) * s.get(1), s.get(2));
        NDArray proj = projector.forward(ps, new NDList(flat), training).singletonOrThrow();
        NDList out = new NDList(proj.reshape(s.get(0), s.get(1), -1));
        if (predictor != null) {
            NDArray pred = predictor.forward(ps, new NDList(proj), training).singletonOrThrow();
            out.add(pred.reshape(s.get(0), s.get(1), -1));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape w = inputs[1];
        Shape flat = new Shape(w.get(0) * w.get(1), backbone.config().featureChannels());
        Shape proj = projector.getOutputShapes(new Shape[] {flat})[0];
        Shape p = new Shape(w.get(0), w.get(1), proj.get(1));
        if (predictor == null) {
            return new Shape[] {p};
        }
        Shape pred = predictor.getOutputShapes(new Shape[] {proj})[0];
        return new Shape[] {p, new Shape(w.get(0), w.get(1), pred.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.block().initialize(manager, dataType, inputShapes[0]);
        Shape w = inputShapes[1];
        Shape flat = new Shape(w.get(0) * w.get(1), backbone.config().featureChannels());
        projector.initialize(manager, dataType, flat);
        if (predictor != null) {
            predictor.initialize(manager, dataType, projector.getOutputShapes(new Shape[] {flat}));
        }
    }
}
