package org.detcon.trainer.augment;

/**
 * One view's augmentation parameters (detcon-spec.md section 2). Colour operations act on RGB in [0, 1] and are
 * clipped to [0, 1] after each; they never touch label maps.
 *
 * @param outputSize     side of the square output (224)
 * @param minArea        crop area range, as fractions of the image area (0.08, 1)
 * @param maxArea        "
 * @param minAspect      crop aspect range w/h, sampled log-uniformly (3/4, 4/3)
 * @param maxAspect      "
 * @param cropMode       BYOL's single clipped draw (DetCon_B) or SimCLR's 100 attempts then center crop (DetCon_S)
 * @param flipProb       horizontal flip probability (0.5)
 * @param jitterProb     probability of applying colour jitter (0.8)
 * @param brightness     additive brightness delta ~ U[−b, b]
 * @param contrast       contrast factor ~ U[max(0, 1−c), 1+c] around each channel's mean
 * @param saturation     saturation factor ~ U[max(0, 1−s), 1+s]
 * @param hue            hue shift ~ U[−h, h] turns
 * @param grayscaleProb  probability of grayscale conversion (0.2)
 * @param blurProb       probability of Gaussian blur
 * @param blurSigmaMin   blur sigma ~ U[min, max] (0.1, 2.0) pixels
 * @param blurSigmaMax   "
 * @param blurTaps       blur kernel size (23; odd)
 * @param solarizeProb   probability of solarisation (x ≥ 0.5 → 1 − x)
 * @param normalize      subtract the ImageNet mean and divide by its std at the end
 */
public record ViewConfig(int outputSize, double minArea, double maxArea, double minAspect, double maxAspect,
        CropMode cropMode, double flipProb, double jitterProb, double brightness, double contrast,
        double saturation, double hue, double grayscaleProb, double blurProb, double blurSigmaMin,
        double blurSigmaMax, int blurTaps, double solarizeProb, boolean normalize) {

    /** How the crop window is drawn. */
    public enum CropMode {
        /** One draw of area and aspect; the window is clipped to the image (BYOL, DetCon_B). */
        SINGLE_DRAW_CLIPPED,
        /** Up to 100 draws until the window fits, else a center crop (SimCLR, DetCon_S). */
        RETRY_THEN_CENTER
    }

    public ViewConfig {
        if (outputSize <= 0 || !(minArea > 0 && minArea <= maxArea && maxArea <= 1) || !(minAspect > 0
                && minAspect <= maxAspect) || blurTaps <= 0 || blurTaps % 2 == 0 || !(blurSigmaMin > 0
                && blurSigmaMin <= blurSigmaMax)) {
            throw new IllegalArgumentException("invalid view config");
        }
        for (double p : new double[] {flipProb, jitterProb, grayscaleProb, blurProb, solarizeProb}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1]");
            }
        }
    }

    /** DetCon_B / BYOL view 1: blur always, never solarize. */
    public static ViewConfig byolView1() {
        return byol(1.0, 0.0);
    }

    /** DetCon_B / BYOL view 2: blur p = 0.1, solarize p = 0.2. */
    public static ViewConfig byolView2() {
        return byol(0.1, 0.2);
    }

    private static ViewConfig byol(double blur, double solarize) {
        return new ViewConfig(224, 0.08, 1.0, 3.0 / 4, 4.0 / 3, CropMode.SINGLE_DRAW_CLIPPED, 0.5, 0.8, 0.4, 0.4,
                0.2, 0.1, 0.2, blur, 0.1, 2.0, 23, solarize, true);
    }

    /**
     * DetCon_S / SimCLR view (both views alike): jitter strength 1.0 → (0.8, 0.8, 0.8, 0.2) with p = 0.8,
     * grayscale 0.2, blur p = 0.5 (decision in the spec), no solarize. Brightness is additive, as SimCLR v1.
     */
    public static ViewConfig simclr() {
        return new ViewConfig(224, 0.08, 1.0, 3.0 / 4, 4.0 / 3, CropMode.RETRY_THEN_CENTER, 0.5, 0.8, 0.8, 0.8,
                0.8, 0.2, 0.2, 0.5, 0.1, 2.0, 23, 0.0, true);
    }

    /** Same geometry, every colour operation off (for tests and debugging). */
    public ViewConfig geometryOnly() {
        return new ViewConfig(outputSize, minArea, maxArea, minAspect, maxAspect, cropMode, flipProb, 0, brightness,
                contrast, saturation, hue, 0, 0, blurSigmaMin, blurSigmaMax, blurTaps, 0, normalize);
    }

    public ViewConfig withOutputSize(int size) {
        return new ViewConfig(size, minArea, maxArea, minAspect, maxAspect, cropMode, flipProb, jitterProb,
                brightness, contrast, saturation, hue, grayscaleProb, blurProb, blurSigmaMin, blurSigmaMax, blurTaps,
                solarizeProb, normalize);
    }
}
