package org.detcon.eval.detection.model;

import java.util.List;
import org.detcon.eval.finetune.BackboneMode;

/**
 * The detector's architecture and its region-selection constants; {@link #torchvision(int)} gives
 * {@code maskrcnn_resnet50_fpn}'s values.
 *
 * @param numClasses   classes including the background (torchvision's {@code num_classes}; 91 for COCO ids)
 * @param fpnChannels  channels of every pyramid level (256)
 * @param anchorSizes  one anchor size per level P2..P6 (32, 64, 128, 256, 512)
 * @param aspectRatios anchor aspect ratios h/w (0.5, 1, 2)
 * @param backboneMode how the backbone trains
 */
public record MaskRcnnConfig(int numClasses, int fpnChannels, List<Integer> anchorSizes, List<Double> aspectRatios,
        Rpn rpn, RoiHeads roiHeads, BackboneMode backboneMode) {

    public MaskRcnnConfig {
        anchorSizes = List.copyOf(anchorSizes);
        aspectRatios = List.copyOf(aspectRatios);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses counts the background and must be >= 2, got "
                    + numClasses);
        }
        if (anchorSizes.size() != 5) {
            throw new IllegalArgumentException("one anchor size per pyramid level P2..P6: need 5, got "
                    + anchorSizes);
        }
        if (fpnChannels <= 0) {
            throw new IllegalArgumentException("fpnChannels must be positive, got " + fpnChannels);
        }
    }

    /**
     * RPN constants: pre-NMS top-k per level and post-NMS top-k per image in training / testing, NMS IoU, the anchor
     * matcher's thresholds and the anchor sample per image.
     */
    public record Rpn(int preNmsTopNTrain, int preNmsTopNTest, int postNmsTopNTrain, int postNmsTopNTest,
            double nmsThresh, double fgIouThresh, double bgIouThresh, int batchSizePerImage,
            double positiveFraction) {

        public static Rpn torchvision() {
            return new Rpn(2000, 1000, 2000, 1000, 0.7, 0.7, 0.3, 256, 0.5);
        }

        public int preNmsTopN(boolean training) {
            return training ? preNmsTopNTrain : preNmsTopNTest;
        }

        public int postNmsTopN(boolean training) {
            return training ? postNmsTopNTrain : postNmsTopNTest;
        }
    }

    /**
     * RoI-head constants: RoIAlign output sizes (box, mask), sampling ratio and alignment, the box head's width, the
     * mask head's conv layers and channels, the proposal matcher and sample, and post-processing (score threshold,
     * per-class NMS IoU, detections per image).
     */
    public record RoiHeads(int boxPoolSize, int maskPoolSize, int samplingRatio, boolean aligned,
            int representationSize, int maskLayers, int maskChannels, double fgIouThresh, double bgIouThresh,
            int batchSizePerImage, double positiveFraction, double scoreThresh, double nmsThresh,
            int detectionsPerImage) {

        public static RoiHeads torchvision() {
            return new RoiHeads(7, 14, 2, false, 1024, 4, 256, 0.5, 0.5, 512, 0.25, 0.05, 0.5, 100);
        }

        /** Side of the predicted masks (twice the mask pool size). */
        public int maskSize() {
            return 2 * maskPoolSize;
        }
    }

    public static MaskRcnnConfig torchvision(int numClasses) {
        return new MaskRcnnConfig(numClasses, 256, List.of(32, 64, 128, 256, 512), List.of(0.5, 1.0, 2.0),
                Rpn.torchvision(), RoiHeads.torchvision(), BackboneMode.FINETUNE);
    }

    public int[] anchorSizeArray() {
        return anchorSizes.stream().mapToInt(Integer::intValue).toArray();
    }

    public double[] aspectRatioArray() {
        return aspectRatios.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
