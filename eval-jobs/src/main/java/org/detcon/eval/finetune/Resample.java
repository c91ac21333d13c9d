package org.detcon.eval.finetune;

import org.detcon.core.image.Image8;
import org.detcon.trainer.augment.ColorOps;

/**
 * A window of an image (and of its per-pixel targets) scaled by a factor: output pixel (y, x) of an
 * {@code outW × outH} window at offset (ox, oy) of the image scaled to {@code sw × sh} samples the source at
 * {@code ((x + ox) + ½)·w/sw − ½} (half-pixel centres, PyTorch's {@code align_corners=False}). Images are sampled
 * bilinearly (source coordinates below 0 clamp to 0 and the last pixel repeats, as PyTorch; no antialiasing: at
 * a scale of ½ each output is the mean of a 2×2 block); labels and depth by nearest neighbour
 * ({@code ⌊(x + ox + ½)·w/sw⌋}, never averaged). Where the window leaves the scaled image the output is padding:
 * the ImageNet mean colour for images (0 after normalisation), {@code fill} for targets. {@code flip} mirrors the
 * output horizontally.
 */
public record Resample(int width, int height, int scaledWidth, int scaledHeight, int offsetX, int offsetY,
        int outWidth, int outHeight, boolean flip) {

    /** The window for an image of {@code width × height} scaled by {@code scale} (rounded to whole pixels). */
    public static Resample of(int width, int height, double scale, int offsetX, int offsetY, int outWidth,
            int outHeight, boolean flip) {
        return new Resample(width, height, Math.max(1, (int) Math.round(width * scale)),
                Math.max(1, (int) Math.round(height * scale)), offsetX, offsetY, outWidth, outHeight, flip);
    }

    /** The image as float CHW RGB in [0, 1] (padding: the ImageNet mean). */
    public float[] image(Image8 image) {
        Image8 rgb = image.toRgb();
        byte[] px = rgb.pixels();
        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        float[] fx = new float[outWidth];
        boolean[] inX = new boolean[outWidth];
        for (int j = 0; j < outWidth; j++) {
            int xs = j + offsetX;
            inX[j] = xs >= 0 && xs < scaledWidth;
            double src = Math.max(0, (xs + 0.5) * width / scaledWidth - 0.5);
            x0[j] = Math.min((int) src, width - 1);
            x1[j] = Math.min(x0[j] + 1, width - 1);
            fx[j] = (float) (src - x0[j]);
        }
        int plane = outWidth * outHeight;
        float[] out = new float[3 * plane];
        for (int i = 0; i < outHeight; i++) {
            int ys = i + offsetY;
            boolean inY = ys >= 0 && ys < scaledHeight;
            double srcY = Math.max(0, (ys + 0.5) * height / scaledHeight - 0.5);
            int y0 = Math.min((int) srcY, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            float fy = (float) (srcY - y0);
            for (int j = 0; j < outWidth; j++) {
                int o = i * outWidth + (flip ? outWidth - 1 - j : j);
                if (!inY || !inX[j]) {
                    for (int c = 0; c < 3; c++) {
                        out[c * plane + o] = ColorOps.IMAGENET_MEAN[c];
                    }
                    continue;
                }
                int p00 = (y0 * width + x0[j]) * 3;
                int p01 = (y0 * width + x1[j]) * 3;
                int p10 = (y1 * width + x0[j]) * 3;
                int p11 = (y1 * width + x1[j]) * 3;
                float a = fx[j];
                for (int c = 0; c < 3; c++) {
                    float top = (px[p00 + c] & 0xFF) * (1 - a) + (px[p01 + c] & 0xFF) * a;
                    float bottom = (px[p10 + c] & 0xFF) * (1 - a) + (px[p11 + c] & 0xFF) * a;
                    out[c * plane + o] = (top * (1 - fy) + bottom * fy) / 255f;
                }
            }
        }
        return out;
    }

    /** Integer targets (class ids) by nearest neighbour; {@code fill} outside the image. */
    public int[] nearest(int[] values, int fill) {
        int[] src = sourceIndex();
        int[] out = new int[outWidth * outHeight];
        for (int k = 0; k < out.length; k++) {
            out[k] = src[k] < 0 ? fill : values[src[k]];
        }
        return out;
    }

    /** Float targets (depth) by nearest neighbour; {@code fill} outside the image. */
    public float[] nearest(float[] values, float fill) {
        int[] src = sourceIndex();
        float[] out = new float[outWidth * outHeight];
        for (int k = 0; k < out.length; k++) {
            out[k] = src[k] < 0 ? fill : values[src[k]];
        }
        return out;
    }

    /** For each output pixel (row-major, after the flip), its source pixel, or −1 outside the image. */
    private int[] sourceIndex() {
        int[] sx = new int[outWidth];
        for (int j = 0; j < outWidth; j++) {
            int xs = j + offsetX;
            sx[j] = xs >= 0 && xs < scaledWidth ? Math.min((int) Math.floor((xs + 0.5) * width / scaledWidth),
                    width - 1) : -1;
        }
        int[] out = new int[outWidth * outHeight];
        for (int i = 0; i < outHeight; i++) {
            int ys = i + offsetY;
            int sy = ys >= 0 && ys < scaledHeight ? Math.min((int) Math.floor((ys + 0.5) * height / scaledHeight),
                    height - 1) : -1;
            for (int j = 0; j < outWidth; j++) {
                int o = i * outWidth + (flip ? outWidth - 1 - j : j);
                out[o] = sy < 0 || sx[j] < 0 ? -1 : sy * width + sx[j];
            }
        }
        return out;
    }
}
