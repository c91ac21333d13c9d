package org.detcon.eval.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.model.ResNet;

/**
 * A ResNet backbone with a dense-prediction head (the {@link FcnHead} on the dilated backbone for segmentation, the
 * {@link DepthDecoder} for depth), its output bilinearly upsampled to the input's size ({@link Bilinear}): logits
 * [N, K, H, W] or depth [N, 1, H, W]. How the backbone trains is its {@link BackboneMode}: with batch statistics
 * (finetune), with batch norm frozen (its running statistics and affine parameters fixed) or not at all (frozen).
 * Head weights start as the backbone's convolutions do (He normal, fan-out), its last layer at N(0, 0.01²), biases
 * at 0; head batch norms at γ = 1, β = 0.
 */
public final class TaskNet extends AbstractBlock {

    private final ResNet.Backbone backbone;
    private final Block head;
    private final BackboneMode mode;

    public TaskNet(ResNet.Backbone backbone, Block head, BackboneMode mode) {
        this.backbone = backbone;
        this.mode = mode;
        addChildBlock("backbone", backbone.block());
        this.head = addChildBlock("head", head);
        head.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        head.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        // the last layer (classifier, depth prediction) starts small, N(0, 0.01²), as DeepLab's and mmseg's heads:
        // He init over its few outputs would start the logits at a scale of ~10
        Block last = head.getChildren().values().get(head.getChildren().size() - 1);
        last.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    }

    public ResNet.Backbone backbone() {
        return backbone;
    }

    public Block head() {
        return head;
    }

    public BackboneMode mode() {
        return mode;
    }

    /**
     * Fixes the parameters the mode does not train (call after the weights are loaded): batch-norm parameters of
     * the backbone for {@code frozen_bn}, all of them for {@code frozen}.
     */
    public void freezeBackbone() {
        mode.freeze(backbone.block());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        NDArray f = backbone.block().forward(ps, new NDList(x), training && mode == BackboneMode.FINETUNE)
                .singletonOrThrow();
        NDArray y = head.forward(ps, new NDList(f), training).singletonOrThrow();
        return new NDList(Bilinear.resize(y, (int) s.get(2), (int) s.get(3)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape f = backbone.block().getOutputShapes(inputs)[0];
        Shape y = head.getOutputShapes(new Shape[] {f})[0];
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), y.get(1), s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.block().initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, backbone.block().getOutputShapes(inputShapes));
    }
}
