package org.detcon.eval.data;

/**
 * Per-pixel depth in metres, row-major; 0 or non-finite where unknown. The array is owned by the record.
 */
public record DepthMap(int width, int height, float[] metres) {

    public DepthMap {
        if (width <= 0 || height <= 0 || (long) width * height != metres.length) {
            throw new IllegalArgumentException("depth map " + width + "x" + height + " with " + metres.length
                    + " values");
        }
    }

    public float depth(int y, int x) {
        return metres[y * width + x];
    }
}
