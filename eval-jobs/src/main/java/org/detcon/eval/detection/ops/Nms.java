package org.detcon.eval.detection.ops;

import java.util.Arrays;

/**
 * Greedy non-maximum suppression as torchvision's CPU kernel computes it: boxes in descending score order (ties:
 * lower index first), each kept box suppresses every later box whose IoU {@code inter / (area_i + area_j − inter)}
 * (float32) exceeds the threshold. {@link #batched} is {@code batched_nms}: boxes interact only within their group
 * (class, or pyramid level for proposals); the kept indices come back sorted by descending score.
 *
 * <p>torchvision's {@code batched_nms} switches, for at most 1,000 boxes on the CPU, to offsetting each group's
 * coordinates by {@code group·(max + 1)}; that trick is meant to give the same result and can differ from it only by
 * the rounding of the offset coordinates. This class always suppresses per group.
 */
public final class Nms {

    private Nms() {
    }

    /** Indices of the kept boxes among all of {@code boxes}, by descending score. */
    public static int[] nms(float[] boxes, float[] scores, double threshold) {
        return batched(boxes, scores, new int[scores.length], threshold);
    }

    /** {@code batched_nms(boxes, scores, groups, threshold)}. */
    public static int[] batched(float[] boxes, float[] scores, int[] groups, double threshold) {
        int n = scores.length;
        if (Boxes.count(boxes) != n || groups.length != n) {
            throw new IllegalArgumentException("boxes, scores and groups differ in length: " + Boxes.count(boxes)
                    + ", " + n + ", " + groups.length);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // descending score, then ascending index: one pass over all boxes in this order is per-group greedy NMS
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            area[i] = Boxes.area(boxes, i);
        }
        int[] keep = new int[n];
        int kept = 0;
        // kept boxes per group, so each candidate is only compared with earlier kept boxes of its own group
        java.util.Map<Integer, int[]> keptByGroup = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> keptCount = new java.util.HashMap<>();
        for (int t = 0; t < n; t++) {
            int j = order[t];
            int g = groups[j];
            int[] list = keptByGroup.get(g);
            int c = keptCount.getOrDefault(g, 0);
            boolean drop = false;
            for (int k = 0; k < c; k++) {
                int i = list[k];
                if (iou(boxes, area, i, j) > threshold) {
                    drop = true;
                    break;
                }
            }
            if (drop) {
                continue;
            }
            if (list == null) {
                list = new int[8];
            } else if (c == list.length) {
                list = Arrays.copyOf(list, 2 * c);
            }
            list[c] = j;
            keptByGroup.put(g, list);
            keptCount.put(g, c + 1);
            keep[kept++] = j;
        }
        return Arrays.copyOf(keep, kept);
    }

    /** The kernel's overlap of kept box i with candidate j. */
    private static float iou(float[] b, float[] area, int i, int j) {
        float xx1 = Math.max(b[4 * i], b[4 * j]);
        float yy1 = Math.max(b[4 * i + 1], b[4 * j + 1]);
        float xx2 = Math.min(b[4 * i + 2], b[4 * j + 2]);
        float yy2 = Math.min(b[4 * i + 3], b[4 * j + 3]);
        float w = Math.max(0f, xx2 - xx1);
        float h = Math.max(0f, yy2 - yy1);
        float inter = w * h;
        return inter / (area[i] + area[j] - inter);
    }
}
