package org.detcon.eval.detection.data;

import org.detcon.eval.detection.model.ImageTargets;

/**
 * One image ready for the detector: normalised CHW pixels of the resized image ({@code height×width}, unpadded),
 * its ground truth in those coordinates, and what maps results back to the original image.
 */
public record DetectionSample(long imageId, float[] pixels, int height, int width, int originalHeight,
        int originalWidth, boolean flipped, ImageTargets targets) {
}
