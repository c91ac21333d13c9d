package org.detcon.trainer.augment;

/**
 * Colour operations on a float CHW RGB image in [0, 1] (in place, each clipped to [0, 1] afterwards), as BYOL's
 * augmentations compute them. They act on pixels only; label maps never pass through here.
 */
public final class ColorOps {

    /** ITU-R 601 luma weights used by grayscale conversion (TF's rgb_to_grayscale). */
    public static final float[] LUMA = {0.2989f, 0.5870f, 0.1140f};
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private ColorOps() {
    }

    public static void brightness(float[] img, float delta) {
        for (int i = 0; i < img.length; i++) {
            img[i] = clip(img[i] + delta);
        }
    }

    /** (x − mean_c)·f + mean_c with mean_c the mean of channel c over the image. */
    public static void contrast(float[] img, int hw, float factor) {
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int i = c * hw; i < (c + 1) * hw; i++) {
                s += img[i];
            }
            float mean = (float) (s / hw);
            for (int i = c * hw; i < (c + 1) * hw; i++) {
                img[i] = clip((img[i] - mean) * factor + mean);
            }
        }
    }

    /** HSV saturation × factor (clipped to [0, 1] in HSV). */
    public static void saturation(float[] img, int hw, float factor) {
        hsvAdjust(img, hw, 0f, factor);
    }

    /** HSV hue + delta turns (mod 1). */
    public static void hue(float[] img, int hw, float delta) {
        hsvAdjust(img, hw, delta, 1f);
    }

    public static void grayscale(float[] img, int hw) {
        for (int i = 0; i < hw; i++) {
            float y = clip(LUMA[0] * img[i] + LUMA[1] * img[hw + i] + LUMA[2] * img[2 * hw + i]);
            img[i] = y;
            img[hw + i] = y;
            img[2 * hw + i] = y;
        }
    }

    /** x ≥ 0.5 → 1 − x. */
    public static void solarize(float[] img) {
        for (int i = 0; i < img.length; i++) {
            if (img[i] >= 0.5f) {
                img[i] = 1f - img[i];
            }
        }
    }

    public static void normalize(float[] img, int hw) {
        for (int c = 0; c < 3; c++) {
            for (int i = c * hw; i < (c + 1) * hw; i++) {
                img[i] = (img[i] - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
            }
        }
    }

    /**
     * RGB → HSV ({@link #rgbToHsv}), hue + delta mod 1, saturation × factor clipped, → RGB ({@link #hsvToRgb}),
     * written out in one loop with the same arithmetic (no per-pixel arrays; the hue wraps only when outside
     * [0, 1)).
     */
    private static void hsvAdjust(float[] img, int hw, float hueDelta, float satFactor) {
        for (int i = 0; i < hw; i++) {
            float r = img[i];
            float g = img[hw + i];
            float b = img[2 * hw + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float range = max - min;
            float sat = max > 0 ? range / max : 0f;
            // the sector as selects, not branches (the JIT makes conditional moves; the hue's sector is random)
            boolean isR = max == r;
            boolean isG = !isR && max == g;
            float num = isR ? g - b : (isG ? b - r : r - g);
            float h = ((isR ? 0f : (isG ? 2f : 4f)) + num / range) / 6f;
            h = range > 0 ? (h < 0 ? h + 1f : h) : 0f;
            h = h + hueDelta;
            if (h < 0f || h >= 1f) {
                h -= (float) Math.floor(h); // inside [0, 1) this would subtract 0
            }
            float s = Math.min(1f, Math.max(0f, sat * satFactor));
            float h6 = h * 6f;
            float cr = clip(Math.abs(h6 - 3f) - 1f);
            float cg = clip(2f - Math.abs(h6 - 2f));
            float cb = clip(2f - Math.abs(h6 - 4f));
            img[i] = clip(max * (1 - s + s * cr));
            img[hw + i] = clip(max * (1 - s + s * cg));
            img[2 * hw + i] = clip(max * (1 - s + s * cb));
        }
    }

    /** h in [0, 1) turns, s and v in [0, 1] (TF's rgb_to_hsv). */
    public static void rgbToHsv(float r, float g, float b, float[] out) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float range = max - min;
        float s = max > 0 ? range / max : 0f;
        float h = 0f;
        if (range > 0) {
            if (max == r) {
                h = (g - b) / range;
            } else if (max == g) {
                h = 2f + (b - r) / range;
            } else {
                h = 4f + (r - g) / range;
            }
            h /= 6f;
            if (h < 0) {
                h += 1f;
            }
        }
        out[0] = h;
        out[1] = s;
        out[2] = max;
    }

    public static void hsvToRgb(float h, float s, float v, float[] out) {
        float h6 = h * 6f;
        // TF's hsv_to_rgb: each channel from its distance to the hue sector
        float r = clip(Math.abs(h6 - 3f) - 1f);
        float g = clip(2f - Math.abs(h6 - 2f));
        float b = clip(2f - Math.abs(h6 - 4f));
        out[0] = v * (1 - s + s * r);
        out[1] = v * (1 - s + s * g);
        out[2] = v * (1 - s + s * b);
    }

    static float clip(float x) {
        return x < 0f ? 0f : (x > 1f ? 1f : x);
    }
}
