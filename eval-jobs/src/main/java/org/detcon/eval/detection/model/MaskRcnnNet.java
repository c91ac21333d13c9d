package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.detcon.trainer.model.ResNet;

/**
 * The detector's parameters in one block: the ResNet backbone (the trainer's, so an exported backbone's weights
 * load into it by name), the {@link FeaturePyramid}, the {@link RpnHead}, the {@link BoxHead} and the
 * {@link MaskHead}. Its own forward computes the pyramid (P2..P6) of a batch; {@link MaskRcnn} runs the rest.
 */
public final class MaskRcnnNet extends AbstractBlock {

    private final ResNet.Backbone backbone;
    private final FeaturePyramid fpn;
    private final RpnHead rpnHead;
    private final BoxHead boxHead;
    private final MaskHead maskHead;
    private final MaskRcnnConfig config;

    public MaskRcnnNet(ResNet.Backbone backbone, MaskRcnnConfig config) {
        this.backbone = backbone;
        this.config = config;
        addChildBlock("backbone", backbone.block());
        this.fpn = addChildBlock("fpn", new FeaturePyramid(backbone.stageChannels(), config.fpnChannels()));
        this.rpnHead = addChildBlock("rpn", new RpnHead(config.fpnChannels(), config.aspectRatios().size()));
        MaskRcnnConfig.RoiHeads r = config.roiHeads();
        this.boxHead = addChildBlock("box_head", new BoxHead(config.fpnChannels(), r.boxPoolSize(),
                r.representationSize(), config.numClasses()));
        this.maskHead = addChildBlock("mask_head", new MaskHead(r.maskLayers(), r.maskChannels(),
                config.numClasses()));
    }

    public ResNet.Backbone backbone() {
        return backbone;
    }

    public FeaturePyramid fpn() {
        return fpn;
    }

    public RpnHead rpnHead() {
        return rpnHead;
    }

    public BoxHead boxHead() {
        return boxHead;
    }

    public MaskHead maskHead() {
        return maskHead;
    }

    public MaskRcnnConfig config() {
        return config;
    }

    /**
     * P2..P6 of {@code images}. The backbone runs with batch statistics only when training with
     * {@code backbone.mode = finetune}; with {@code frozen} no gradient flows into it.
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        boolean bnTraining = training && config.backboneMode().batchStatistics();
        NDList stages = backbone.stages(ps, inputs.singletonOrThrow(), bnTraining);
        if (config.backboneMode() == org.detcon.eval.finetune.BackboneMode.FROZEN) {
            NDList detached = new NDList(stages.size());
            for (var s : stages) {
                detached.add(s.stopGradient());
            }
            stages = detached;
        }
        return fpn.forward(ps, stages, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return fpn.getOutputShapes(stageShapes(inputs[0]));
    }

    private Shape[] stageShapes(Shape images) {
        int[] ch = backbone.stageChannels();
        Shape[] out = new Shape[4];
        long h = images.get(2);
        long w = images.get(3);
        for (int s = 0; s < 4; s++) {
            long stride = 4L << s;
            out[s] = new Shape(images.get(0), ch[s], (h + stride - 1) / stride, (w + stride - 1) / stride);
        }
        return out;
    }

    /** Initialises every parameter for images of {@code imageShape} ({@code [N, 3, H, W]}). */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.block().initialize(manager, dataType, inputShapes[0]);
        Shape[] stages = stageShapes(inputShapes[0]);
        fpn.initialize(manager, dataType, stages);
        Shape level = fpn.getOutputShapes(stages)[0];
        rpnHead.initialize(manager, dataType, level);
        MaskRcnnConfig.RoiHeads r = config.roiHeads();
        boxHead.initialize(manager, dataType, new Shape(1, config.fpnChannels(), r.boxPoolSize(), r.boxPoolSize()));
        maskHead.initialize(manager, dataType, new Shape(1, config.fpnChannels(), r.maskPoolSize(),
                r.maskPoolSize()));
    }

    /**
     * Every parameter under the name torchvision's {@code maskrcnn_resnet50_fpn} state dict gives it
     * ({@code backbone.body.*}, {@code backbone.fpn.*}, {@code rpn.head.*}, {@code roi_heads.*}), for loading
     * torchvision weights and for the equivalence checks.
     */
    public Map<String, Parameter> torchvisionNames() {
        Map<String, Parameter> out = new LinkedHashMap<>(backbone.torchvisionNames("backbone.body."));
        for (int i = 0; i < fpn.innerBlocks().size(); i++) {
            put(out, "backbone.fpn.inner_blocks." + i + ".0", fpn.innerBlocks().get(i));
            put(out, "backbone.fpn.layer_blocks." + i + ".0", fpn.layerBlocks().get(i));
        }
        put(out, "rpn.head.conv.0.0", rpnHead.conv());
        put(out, "rpn.head.cls_logits", rpnHead.cls());
        put(out, "rpn.head.bbox_pred", rpnHead.bbox());
        put(out, "roi_heads.box_head.fc6", boxHead.fc6());
        put(out, "roi_heads.box_head.fc7", boxHead.fc7());
        put(out, "roi_heads.box_predictor.cls_score", boxHead.clsScore());
        put(out, "roi_heads.box_predictor.bbox_pred", boxHead.bboxPred());
        for (int i = 0; i < maskHead.convs().size(); i++) {
            put(out, "roi_heads.mask_head." + i + ".0", maskHead.convs().get(i));
        }
        out.put("roi_heads.mask_predictor.conv5_mask.weight", maskHead.upsample().weight());
        out.put("roi_heads.mask_predictor.conv5_mask.bias", maskHead.upsample().bias());
        put(out, "roi_heads.mask_predictor.mask_fcn_logits", maskHead.logits());
        return out;
    }

    private static void put(Map<String, Parameter> out, String name, AbstractBlock layer) {
        if (!(layer instanceof Conv2d) && !(layer instanceof Linear)) {
            throw new IllegalArgumentException(name + " is not a conv or linear layer");
        }
        for (Pair<String, Parameter> p : layer.getParameters()) {
            out.put(name + (p.getValue().getType() == Parameter.Type.WEIGHT ? ".weight" : ".bias"), p.getValue());
        }
    }
}
