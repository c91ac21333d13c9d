package org.detcon.trainer.augment;

import java.util.random.RandomGenerator;

/** A crop window in pixels of the source image: columns [x, x + w), rows [y, y + h). */
public record CropWindow(int x, int y, int w, int h) {

    private static final int SIMCLR_ATTEMPTS = 100;

    /** Draws a window for a {@code width}×{@code height} image as {@code config.cropMode()} says. */
    public static CropWindow sample(int width, int height, ViewConfig config, RandomGenerator rng) {
        double area = (double) width * height;
        double logMin = Math.log(config.minAspect());
        double logMax = Math.log(config.maxAspect());
        int attempts = config.cropMode() == ViewConfig.CropMode.SINGLE_DRAW_CLIPPED ? 1 : SIMCLR_ATTEMPTS;
        for (int i = 0; i < attempts; i++) {
            double target = area * uniform(rng, config.minArea(), config.maxArea());
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (config.cropMode() == ViewConfig.CropMode.SINGLE_DRAW_CLIPPED) {
                w = Math.max(1, Math.min(w, width));
                h = Math.max(1, Math.min(h, height));
            } else if (w <= 0 || h <= 0 || w > width || h > height) {
                continue;
            }
            int x = rng.nextInt(width - w + 1);
            int y = rng.nextInt(height - h + 1);
            return new CropWindow(x, y, w, h);
        }
        return center(width, height, config.minAspect(), config.maxAspect());
    }

    /** torchvision's RandomResizedCrop fallback: the largest centered window with aspect clamped to the range. */
    public static CropWindow center(int width, int height, double minAspect, double maxAspect) {
        double ratio = (double) width / height;
        int w = width;
        int h = height;
        if (ratio < minAspect) {
            h = (int) Math.round(w / minAspect);
        } else if (ratio > maxAspect) {
            w = (int) Math.round(h * maxAspect);
        }
        w = Math.min(w, width);
        h = Math.min(h, height);
        return new CropWindow((width - w) / 2, (height - h) / 2, w, h);
    }

    static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
