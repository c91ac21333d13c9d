package org.detcon.eval.detection.ops;

/**
 * Boxes as flat {@code float} arrays of {@code [x1, y1, x2, y2]} quadruples (box i at {@code 4i..4i+3}), with the
 * float32 arithmetic of torchvision's {@code box_ops} so that thresholds decide as they do there.
 */
public final class Boxes {

    private Boxes() {
    }

    public static int count(float[] boxes) {
        if (boxes.length % 4 != 0) {
            throw new IllegalArgumentException("boxes array length " + boxes.length + " is not a multiple of 4");
        }
        return boxes.length / 4;
    }

    /** {@code (x2 − x1)·(y2 − y1)} of box i. */
    public static float area(float[] b, int i) {
        return (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
    }

    /**
     * torchvision's {@code box_iou(a, b)}: row-major [count(a)][count(b)], each {@code inter / (area_a + area_b −
     * inter)} with the intersection's width and height clamped at 0.
     */
    public static float[] iou(float[] a, float[] b) {
        int n = count(a);
        int m = count(b);
        float[] areaB = new float[m];
        for (int j = 0; j < m; j++) {
            areaB[j] = area(b, j);
        }
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            float areaA = area(a, i);
            for (int j = 0; j < m; j++) {
                out[i * m + j] = iou(a, i, areaA, b, j, areaB[j]);
            }
        }
        return out;
    }

    /** IoU of {@code a[i]} and {@code b[j]} given their areas, as {@code box_iou} computes one entry. */
    public static float iou(float[] a, int i, float areaA, float[] b, int j, float areaB) {
        float w = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
        float h = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
        float inter = Math.max(w, 0f) * Math.max(h, 0f);
        return inter / (areaA + areaB - inter);
    }

    /** Clips every box into {@code [0, width] × [0, height]} in place ({@code clip_boxes_to_image}). */
    public static void clip(float[] b, int height, int width) {
        for (int i = 0; i < b.length; i += 4) {
            b[i] = Math.min(Math.max(b[i], 0f), width);
            b[i + 1] = Math.min(Math.max(b[i + 1], 0f), height);
            b[i + 2] = Math.min(Math.max(b[i + 2], 0f), width);
            b[i + 3] = Math.min(Math.max(b[i + 3], 0f), height);
        }
    }

    /** Whether box i is at least {@code minSize} wide and high ({@code remove_small_boxes} keeps it). */
    public static boolean largeEnough(float[] b, int i, float minSize) {
        return b[4 * i + 2] - b[4 * i] >= minSize && b[4 * i + 3] - b[4 * i + 1] >= minSize;
    }

    /** Boxes {@code idx[0..n)} of {@code b}, in that order. */
    public static float[] select(float[] b, int[] idx, int n) {
        float[] out = new float[4 * n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(b, 4 * idx[k], out, 4 * k, 4);
        }
        return out;
    }

    /** Elements {@code idx[0..n)} of {@code v}. */
    public static float[] select1(float[] v, int[] idx, int n) {
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            out[k] = v[idx[k]];
        }
        return out;
    }
}
