package org.detcon.trainer.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.random.SeededShuffle;

/**
 * Makes one view of an image and its label maps (detcon-spec.md section 2), in BYOL's order: crop + resize (image
 * bicubic, label maps nearest, same window) → horizontal flip (both) → colour jitter (p, random order) → grayscale
 * (p) → Gaussian blur (p) → solarize (p) → ImageNet normalisation. Geometry is drawn from the generator before any
 * colour decision, and colour operations see only the image.
 *
 * <p>Label maps must have the image's size: one partition (FH, grid, ground truth) or several binary masks of an
 * overlapping set; all get the same geometry.
 */
public final class ViewPipeline {

    private final ViewConfig config;

    public ViewPipeline(ViewConfig config) {
        this.config = config;
    }

    public ViewConfig config() {
        return config;
    }

    public View apply(Image8 image, List<LabelMap> labelMaps, RandomGenerator rng) {
        for (LabelMap m : labelMaps) {
            if (m.width() != image.width() || m.height() != image.height()) {
                throw new IllegalArgumentException("label map " + m.width() + "x" + m.height()
                        + " does not match image " + image.width() + "x" + image.height());
            }
        }
        int s = config.outputSize();
        int hw = s * s;
        CropWindow crop = CropWindow.sample(image.width(), image.height(), config, rng);
        boolean flip = rng.nextDouble() < config.flipProb();
        float[] px = Resize.bicubic(image, crop, s, flip);
        List<LabelMap> maps = new ArrayList<>(labelMaps.size());
        for (LabelMap m : labelMaps) {
            maps.add(Resize.nearest(m, crop, s, flip));
        }

        if (rng.nextDouble() < config.jitterProb()) {
            int[] order = {0, 1, 2, 3};
            SeededShuffle.shuffle(order, rng);
            for (int op : order) {
                switch (op) {
                    case 0 -> ColorOps.brightness(px, (float) CropWindow.uniform(rng, -config.brightness(),
                            config.brightness()));
                    case 1 -> ColorOps.contrast(px, hw, (float) CropWindow.uniform(rng,
                            Math.max(0, 1 - config.contrast()), 1 + config.contrast()));
                    case 2 -> ColorOps.saturation(px, hw, (float) CropWindow.uniform(rng,
                            Math.max(0, 1 - config.saturation()), 1 + config.saturation()));
                    default -> ColorOps.hue(px, hw, (float) CropWindow.uniform(rng, -config.hue(), config.hue()));
                }
            }
        }
        if (rng.nextDouble() < config.grayscaleProb()) {
            ColorOps.grayscale(px, hw);
        }
        if (rng.nextDouble() < config.blurProb()) {
            double sigma = CropWindow.uniform(rng, config.blurSigmaMin(), config.blurSigmaMax());
            GaussianBlur.apply(px, 3, s, s, sigma, config.blurTaps());
        }
        if (rng.nextDouble() < config.solarizeProb()) {
            ColorOps.solarize(px);
        }
        if (config.normalize()) {
            ColorOps.normalize(px, hw);
        }
        return new View(px, s, List.copyOf(maps), crop, flip);
    }
}
