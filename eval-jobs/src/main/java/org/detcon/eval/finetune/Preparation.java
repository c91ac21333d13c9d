package org.detcon.eval.finetune;

import java.util.SplittableRandom;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.SegSample;
import org.detcon.trainer.augment.ColorOps;

/**
 * Turns dataset samples into {@link Prepared} inputs, as the protocols do (detcon-spec.md section 7a).
 * <ul>
 *   <li>Segmentation, training: a random scale in {@code data.scale}, then a {@code data.crop} window at a random
 *   position of the scaled image padded at the bottom and right when smaller (images with the mean colour, labels
 *   with 255), a horizontal flip with probability ½ ({@code data.flip}). Evaluation: the whole image, unscaled.</li>
 *   <li>Depth, training: the image scaled by {@code data.scale} (½: 640×480 → 320×240), the {@code data.crop}
 *   window at its centre (304×228), a flip, colour jitter of strength s ({@code data.color_jitter}: brightness
 *   + U(−s, s), then contrast and saturation × U(1 − s, 1 + s), on [0, 1] pixels); depth by nearest neighbour,
 *   invalid pixels 0. Evaluation: the same window without flip or jitter; the ground truth is the matching window
 *   of the original depth map (at its own resolution, {@link #groundTruthWindow}).</li>
 * </ul>
 * Random draws, in order: scale, crop x, crop y (random crops only), flip, jitter. Images are normalised with the
 * ImageNet mean and standard deviation, as the backbone saw them in pretraining.
 */
public final class Preparation {

    private final FinetuneConfig.Data data;
    private final int classes;

    public Preparation(FinetuneConfig config, int classes) {
        this.data = config.data();
        this.classes = classes;
    }

    /** A label that is neither a class nor the ignore value; {@code what} names the sample. */
    public static final class LabelOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LabelOutOfRange(String message) {
            super(message);
        }
    }

    /** Training input of a segmentation sample (randomness from {@code rng}). */
    public Prepared trainSeg(SegSample s, SplittableRandom rng) {
        int[] labels = checkedLabels(s);
        int w = s.image().width();
        int h = s.image().height();
        double scale = data.scaleMin() == data.scaleMax() ? data.scaleMin()
                : data.scaleMin() + (data.scaleMax() - data.scaleMin()) * rng.nextDouble();
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        int cw = data.cropWidth();
        int ch = data.cropHeight();
        int ox;
        int oy;
        if (data.randomCrop()) {
            ox = rng.nextInt(Math.max(sw, cw) - cw + 1);
            oy = rng.nextInt(Math.max(sh, ch) - ch + 1);
        } else {
            ox = Math.floorDiv(sw - cw, 2);
            oy = Math.floorDiv(sh - ch, 2);
        }
        boolean flip = data.flip() && rng.nextBoolean();
        Resample r = new Resample(w, h, sw, sh, ox, oy, cw, ch, flip);
        float[] image = r.image(s.image());
        ColorOps.normalize(image, cw * ch);
        return new Prepared(s.id(), cw, ch, image, r.nearest(labels, 255), null);
    }

    /** Evaluation input of a segmentation sample: the whole image. */
    public Prepared evalSeg(SegSample s) {
        int[] labels = checkedLabels(s);
        int w = s.image().width();
        int h = s.image().height();
        float[] image = new Resample(w, h, w, h, 0, 0, w, h, false).image(s.image());
        ColorOps.normalize(image, w * h);
        return new Prepared(s.id(), w, h, image, labels, null);
    }

    private int[] checkedLabels(SegSample s) {
        LabelMap l = s.label();
        int[] v = l.labels();
        for (int i = 0; i < v.length; i++) {
            if ((v[i] < 0 || v[i] >= classes) && v[i] != 255) {
                throw new LabelOutOfRange(s.id() + ": label " + v[i] + " at (x=" + i % l.width() + ", y="
                        + i / l.width() + ") is outside the " + classes + " classes and not 255 (ignore)");
            }
        }
        return v;
    }

    /** The depth window (scaled image coordinates) of an image of {@code w × h}, at the centre or at random. */
    private Resample depthWindow(int w, int h, SplittableRandom rng, boolean flip) {
        double scale = rng == null || data.scaleMin() == data.scaleMax() ? data.scaleMin()
                : data.scaleMin() + (data.scaleMax() - data.scaleMin()) * rng.nextDouble();
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        int cw = data.cropWidth();
        int ch = data.cropHeight();
        int ox = Math.floorDiv(sw - cw, 2);
        int oy = Math.floorDiv(sh - ch, 2);
        if (rng != null && data.randomCrop()) {
            ox = rng.nextInt(Math.max(sw, cw) - cw + 1);
            oy = rng.nextInt(Math.max(sh, ch) - ch + 1);
        }
        boolean f = flip && rng != null && rng.nextBoolean();
        return new Resample(w, h, sw, sh, ox, oy, cw, ch, f);
    }

    /** Training input of a depth sample; null when no pixel of the window has a valid depth. */
    public Prepared trainDepth(DepthSample s, SplittableRandom rng) {
        Resample r = depthWindow(s.image().width(), s.image().height(), rng, data.flip());
        float[] image = r.image(s.image());
        int hw = r.outWidth() * r.outHeight();
        if (data.colorJitter() > 0) {
            float j = (float) data.colorJitter();
            ColorOps.brightness(image, (float) ((rng.nextDouble() * 2 - 1) * j));
            ColorOps.contrast(image, hw, (float) (1 + (rng.nextDouble() * 2 - 1) * j));
            ColorOps.saturation(image, hw, (float) (1 + (rng.nextDouble() * 2 - 1) * j));
        }
        ColorOps.normalize(image, hw);
        float[] depth = r.nearest(validDepth(s), 0f);
        for (float d : depth) {
            if (d > 0) {
                return new Prepared(s.id(), r.outWidth(), r.outHeight(), image, null, depth);
            }
        }
        return null;
    }

    /** Evaluation input of a depth sample: the centre window, no flip or jitter. */
    public Prepared evalDepth(DepthSample s) {
        Resample r = depthWindow(s.image().width(), s.image().height(), null, false);
        float[] image = r.image(s.image());
        ColorOps.normalize(image, r.outWidth() * r.outHeight());
        return new Prepared(s.id(), r.outWidth(), r.outHeight(), image, null, null);
    }

    /**
     * The window of the original depth map that the evaluation input covers, at the map's resolution: the scaled
     * window's offset and size divided by the scale; outside the map 0 (invalid). Returns {x, y, width, height}.
     */
    public int[] groundTruthWindow(int w, int h) {
        Resample r = depthWindow(w, h, null, false);
        double kx = (double) w / r.scaledWidth();
        double ky = (double) h / r.scaledHeight();
        return new int[] {(int) Math.round(r.offsetX() * kx), (int) Math.round(r.offsetY() * ky),
            (int) Math.round(r.outWidth() * kx), (int) Math.round(r.outHeight() * ky)};
    }

    /** The depth map with invalid pixels (outside the dataset's range or mask) set to 0. */
    static float[] validDepth(DepthSample s) {
        float[] m = s.depth().metres().clone();
        boolean[] valid = s.valid();
        for (int i = 0; i < m.length; i++) {
            if (!valid[i]) {
                m[i] = 0f;
            }
        }
        return m;
    }

    /** The ground-truth window ({@link #groundTruthWindow}) of a depth map, 0 outside it. */
    public static float[] crop(float[] map, int w, int h, int[] window) {
        float[] out = new float[window[2] * window[3]];
        for (int y = 0; y < window[3]; y++) {
            int sy = y + window[1];
            for (int x = 0; x < window[2]; x++) {
                int sx = x + window[0];
                out[y * window[2] + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? map[sy * w + sx] : 0f;
            }
        }
        return out;
    }
}
