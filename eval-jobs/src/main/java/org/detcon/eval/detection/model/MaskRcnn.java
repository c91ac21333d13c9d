package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.detcon.eval.detection.ops.AnchorGenerator;
import org.detcon.eval.detection.ops.MultiScaleRoiAlign;

/**
 * Mask R-CNN with FPN as torchvision's {@code MaskRCNN}, on a {@link MaskRcnnNet}: backbone → FPN (P2..P6) → RPN
 * proposals → RoI heads (boxes on P2..P5, masks on P2..P5).
 *
 * <p>Input: a batch {@code [N, 3, H, W]} of normalised images padded at the bottom and right (H, W multiples of
 * 32), with each image's unpadded size. {@link #losses} is a training forward pass (the five losses, differentiable);
 * {@link #detect} an inference pass (detections in the input's coordinates, best first). Region selection, matching,
 * sampling and NMS run on the host; everything with parameters, and RoIAlign, on the device.
 */
public final class MaskRcnn {

    /** The loss names, in torchvision's order of reporting. */
    public static final List<String> LOSS_NAMES = List.of("loss_classifier", "loss_box_reg", "loss_mask",
            "loss_objectness", "loss_rpn_box_reg");

    private final MaskRcnnNet net;
    private final RegionProposalNetwork rpn;
    private final RoiHeads roiHeads;

    public MaskRcnn(MaskRcnnNet net) {
        this.net = net;
        MaskRcnnConfig c = net.config();
        this.rpn = new RegionProposalNetwork(c.rpn(), new AnchorGenerator(c.anchorSizeArray(),
                c.aspectRatioArray()));
        this.roiHeads = new RoiHeads(c.roiHeads(), c.numClasses());
    }

    public MaskRcnnNet net() {
        return net;
    }

    public MaskRcnnConfig config() {
        return net.config();
    }

    /** The pyramid and the RPN's output for a batch. */
    public record Stage1(NDList features, RegionProposalNetwork.Output proposals) {
    }

    /** Backbone, FPN, RPN head and proposal selection. */
    public Stage1 proposals(ParameterStore ps, NDArray images, int[][] imageSizes, boolean training) {
        check(images, imageSizes);
        NDList features = net.forward(ps, new NDList(images), training);
        NDList head = net.rpnHead().forward(ps, features, training);
        Shape s = images.getShape();
        RegionProposalNetwork.Output out = rpn.forward(head, (int) s.get(2), (int) s.get(3), imageSizes, training);
        return new Stage1(features, out);
    }

    /**
     * A training forward pass: the five losses ({@link #LOSS_NAMES}), each a scalar with gradient. Sampling draws
     * from {@code rng}.
     */
    public Map<String, NDArray> losses(ParameterStore ps, NDArray images, int[][] imageSizes,
            List<ImageTargets> targets, RandomGenerator rng) {
        return losses(ps, images, imageSizes, targets, rng, null);
    }

    /**
     * {@link #losses(ParameterStore, NDArray, int[][], List, RandomGenerator)} with the RoI heads working on
     * {@code proposals} (one box array per image) instead of the RPN's, when not null: a fixed probe on which the
     * heads' losses can be compared across training.
     */
    public Map<String, NDArray> losses(ParameterStore ps, NDArray images, int[][] imageSizes,
            List<ImageTargets> targets, RandomGenerator rng, List<float[]> proposals) {
        if (targets.size() != imageSizes.length) {
            throw new IllegalArgumentException(targets.size() + " targets for " + imageSizes.length + " images");
        }
        Stage1 s1 = proposals(ps, images, imageSizes, true);
        Map<String, NDArray> rpnLosses = rpn.loss(s1.proposals(), targets, rng);
        RoiHeads.Sample sample = roiHeads.select(proposals != null ? proposals : s1.proposals().proposals(), targets,
                rng);
        MultiScaleRoiAlign.Levels levels = MultiScaleRoiAlign.levels(s1.features().subNDList(0, 4), imageSizes);
        Map<String, NDArray> roiLosses = roiHeads.loss(ps, net.boxHead(), net.maskHead(), levels, sample, targets,
                true);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : LOSS_NAMES) {
            out.put(name, roiLosses.containsKey(name) ? roiLosses.get(name) : rpnLosses.get(name));
        }
        return out;
    }

    /** An inference pass: each image's detections in the input's coordinates. */
    public List<Detections> detect(ParameterStore ps, NDArray images, int[][] imageSizes) {
        Stage1 s1 = proposals(ps, images, imageSizes, false);
        MultiScaleRoiAlign.Levels levels = MultiScaleRoiAlign.levels(s1.features().subNDList(0, 4), imageSizes);
        return roiHeads.detect(ps, net.boxHead(), net.maskHead(), levels, s1.proposals().proposals(), imageSizes);
    }

    /** The box head's outputs (class logits, box deltas) for given proposals: for checks against torchvision. */
    public NDList boxOutputs(ParameterStore ps, NDList features, List<float[]> proposals, int[][] imageSizes) {
        MultiScaleRoiAlign.Levels levels = MultiScaleRoiAlign.levels(features.subNDList(0, 4), imageSizes);
        return roiHeads.boxOutputs(ps, net.boxHead(), levels, proposals);
    }

    private static void check(NDArray images, int[][] imageSizes) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("images must be [N, 3, H, W], got " + s);
        }
        if (s.get(0) != imageSizes.length) {
            throw new IllegalArgumentException(imageSizes.length + " image sizes for a batch of " + s.get(0));
        }
        for (int[] size : imageSizes) {
            if (size[0] > s.get(2) || size[1] > s.get(3) || size[0] <= 0 || size[1] <= 0) {
                throw new IllegalArgumentException("image size " + size[0] + "x" + size[1]
                        + " does not fit the batch " + s);
            }
        }
    }
}
