package org.detcon.eval.detection.model;

/**
 * The ground truth of one training image, in the coordinates of the (resized, unpadded) input: boxes
 * {@code [x1, y1, x2, y2]} (positive width and height), class indices in {@code 1..K−1} (0 is the background) and
 * the instances' full-image masks.
 */
public record ImageTargets(float[] boxes, int[] labels, InstanceMasks masks) {

    public ImageTargets {
        if (boxes.length != 4 * labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + boxes.length / 4 + " boxes");
        }
        if (masks.count() != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + masks.count() + " masks");
        }
    }

    public int count() {
        return labels.length;
    }

    /** The binary masks of an image's instances at the input's size, made on demand. */
    public interface InstanceMasks {

        int count();

        /** Mask height (the input's unpadded height). */
        int height();

        /** Mask width (the input's unpadded width). */
        int width();

        /** Instance i's mask, row-major {@code height×width} bytes of 0 or 1. */
        byte[] mask(int instance);
    }
}
