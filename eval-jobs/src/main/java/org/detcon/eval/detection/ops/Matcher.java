package org.detcon.eval.detection.ops;

/**
 * torchvision's {@code Matcher} on the IoU matrix of ground-truth boxes (rows) and predicted boxes (columns): each
 * prediction gets the ground truth of its highest IoU (the first on ties) if that IoU is ≥ {@code high},
 * {@link #BELOW_LOW_THRESHOLD} if it is &lt; {@code low}, {@link #BETWEEN_THRESHOLDS} otherwise. With low-quality
 * matches allowed, every prediction whose IoU with some ground truth equals that ground truth's highest IoU over all
 * predictions gets its best ground truth back whatever its IoU (torchvision's rule, including its quirk: a ground
 * truth that overlaps nothing restores every prediction it has IoU 0 with).
 *
 * <p>The IoU matrix is never stored (ground truths × ~260k anchors at 1024 px): it is computed twice, row maxima
 * first, with {@link Boxes#iou}'s arithmetic.
 */
public record Matcher(float high, float low, boolean allowLowQualityMatches) {

    public static final int BELOW_LOW_THRESHOLD = -1;
    public static final int BETWEEN_THRESHOLDS = -2;

    public Matcher {
        if (!(low <= high)) {
            throw new IllegalArgumentException("low threshold " + low + " must be <= high threshold " + high);
        }
    }

    /** Matches of each of {@code boxes} to {@code gt} (at least one ground-truth box). */
    public int[] match(float[] gt, float[] boxes) {
        int g = Boxes.count(gt);
        int p = Boxes.count(boxes);
        if (g == 0) {
            throw new IllegalArgumentException("no ground-truth boxes to match");
        }
        float[] gtArea = new float[g];
        for (int i = 0; i < g; i++) {
            gtArea[i] = Boxes.area(gt, i);
        }
        float[] area = new float[p];
        for (int j = 0; j < p; j++) {
            area[j] = Boxes.area(boxes, j);
        }
        float[] highest = null;
        if (allowLowQualityMatches) {
            highest = new float[g];
            java.util.Arrays.fill(highest, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < p; j++) {
                for (int i = 0; i < g; i++) {
                    highest[i] = Math.max(highest[i], Boxes.iou(gt, i, gtArea[i], boxes, j, area[j]));
                }
            }
        }
        int[] matches = new int[p];
        for (int j = 0; j < p; j++) {
            float best = Boxes.iou(gt, 0, gtArea[0], boxes, j, area[j]);
            int arg = 0;
            boolean restore = highest != null && best == highest[0];
            for (int i = 1; i < g; i++) {
                float v = Boxes.iou(gt, i, gtArea[i], boxes, j, area[j]);
                if (v > best) {
                    best = v;
                    arg = i;
                }
                restore |= highest != null && v == highest[i];
            }
            if (restore || best >= high) {
                matches[j] = arg;
            } else {
                matches[j] = best < low ? BELOW_LOW_THRESHOLD : BETWEEN_THRESHOLDS;
            }
        }
        return matches;
    }
}
