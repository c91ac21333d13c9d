package org.detcon.eval.finetune;

/**
 * One sample ready for the network: the normalised CHW RGB image of {@code width × height} and its target at the
 * same size: class ids ({@code labels}, 255 = ignore) for segmentation, depth in metres ({@code depth}, 0 =
 * invalid) for depth; the other is null.
 */
public record Prepared(String id, int width, int height, float[] image, int[] labels, float[] depth) {
}
