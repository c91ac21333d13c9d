package org.detcon.eval.detection.model;

/**
 * Detections of one image, best first: boxes {@code [x1, y1, x2, y2]}, scores, class indices (1..K−1), and each
 * detection's mask probabilities for its class ({@code maskSize×maskSize}, row-major, detection after detection),
 * in the coordinates the detector ran at.
 */
public record Detections(float[] boxes, float[] scores, int[] labels, float[] masks, int maskSize) {

    public int count() {
        return scores.length;
    }

    public static Detections empty(int maskSize) {
        return new Detections(new float[0], new float[0], new int[0], new float[0], maskSize);
    }
}
