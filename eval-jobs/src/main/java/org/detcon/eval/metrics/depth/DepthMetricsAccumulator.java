package org.detcon.eval.metrics.depth;

import java.util.Objects;

/**
 * Accumulates depth errors over a data set, image by image, for both {@link DepthAveraging} conventions at once.
 * Mutable and not thread-safe: use one per thread and {@link #merge} them (merging is exact up to floating-point
 * summation order).
 *
 * <p>A ground-truth pixel is valid when the {@link DepthRange} accepts it (finite, &gt; 0, within [min, max]);
 * with an explicit mask it must additionally be set in the mask. At valid pixels the prediction must be finite and
 * positive, unless {@code clampPredictions} is set, in which case it is first clamped into [min, max] (NaN is
 * still an error) — the common practice of NYU evaluation code.
 */
public final class DepthMetricsAccumulator {

    private static final double T1 = 1.25;
    private static final double T2 = 1.25 * 1.25;
    private static final double T3 = 1.25 * 1.25 * 1.25;
    private static final double LN10 = Math.log(10);

    private final DepthRange range;
    private final boolean clampPredictions;
    // pooled sums: counts of δ1..δ3, sum abs rel, sum sq rel, sum sq err, sum sq log err, sum |log10 diff|
    private final double[] pooled = new double[8];
    // sum over images of the per-image metrics
    private final double[] perImage = new double[8];
    private long validPixels;
    private int images;
    private int imagesWithoutValid;

    public DepthMetricsAccumulator(DepthRange range, boolean clampPredictions) {
        this.range = Objects.requireNonNull(range, "range");
        this.clampPredictions = clampPredictions;
    }

    /** The NYU range (1e-3..10 m), predictions not clamped. */
    public DepthMetricsAccumulator() {
        this(DepthRange.NYU, false);
    }

    public DepthRange range() {
        return range;
    }

    /** Adds one image; validity from the range only. Depths in metres, same pixel order in both. */
    public DepthMetricsAccumulator add(float[] gt, float[] pred) {
        return add(gt, pred, null);
    }

    /**
     * Adds one image. {@code valid} (may be null) restricts the pixels further, e.g. a dataset's own mask.
     *
     * @throws IllegalArgumentException on length mismatch or an unusable prediction at a valid pixel (nothing is
     *                                  added then)
     */
    public DepthMetricsAccumulator add(float[] gt, float[] pred, boolean[] valid) {
        Objects.requireNonNull(gt, "gt");
        Objects.requireNonNull(pred, "pred");
        if (gt.length != pred.length || (valid != null && valid.length != gt.length)) {
            throw new IllegalArgumentException("ground truth has " + gt.length + " pixels, prediction " + pred.length
                    + (valid == null ? "" : ", valid mask " + valid.length));
        }
        double[] s = new double[8];
        long n = 0;
        for (int i = 0; i < gt.length; i++) {
            double g = gt[i];
            if (!range.isValid(g) || (valid != null && !valid[i])) {
                continue;
            }
            double p = pred[i];
            if (clampPredictions && !Double.isNaN(p)) {
                p = range.clamp(p);
            }
            if (!Double.isFinite(p) || p <= 0) {
                throw new IllegalArgumentException("prediction " + p + " at pixel " + i
                        + " (a valid ground-truth pixel) is not a finite positive depth");
            }
            double ratio = Math.max(g / p, p / g);
            if (ratio < T1) {
                s[0]++;
            }
            if (ratio < T2) {
                s[1]++;
            }
            if (ratio < T3) {
                s[2]++;
            }
            double d = g - p;
            s[3] += Math.abs(d) / g;
            s[4] += d * d / g;
            s[5] += d * d;
            double dl = Math.log(g) - Math.log(p);
            s[6] += dl * dl;
            s[7] += Math.abs(Math.log10(g) - Math.log10(p));
            n++;
        }
        images++;
        if (n == 0) {
            imagesWithoutValid++;
            return this;
        }
        validPixels += n;
        for (int k = 0; k < 8; k++) {
            pooled[k] += s[k];
        }
        double[] m = finish(s, n);
        for (int k = 0; k < 8; k++) {
            perImage[k] += m[k];
        }
        return this;
    }

    private static double[] finish(double[] sums, double n) {
        double[] m = new double[8];
        for (int k = 0; k < 8; k++) {
            m[k] = sums[k] / n;
        }
        m[5] = Math.sqrt(m[5]);
        m[6] = Math.sqrt(m[6]);
        return m;
    }

    public DepthMetricsAccumulator merge(DepthMetricsAccumulator other) {
        if (!other.range.equals(range) || other.clampPredictions != clampPredictions) {
            throw new IllegalArgumentException("cannot merge depth accumulators with different settings: " + range
                    + " clamp=" + clampPredictions + " vs " + other.range + " clamp=" + other.clampPredictions);
        }
        for (int k = 0; k < 8; k++) {
            pooled[k] += other.pooled[k];
            perImage[k] += other.perImage[k];
        }
        validPixels += other.validPixels;
        images += other.images;
        imagesWithoutValid += other.imagesWithoutValid;
        return this;
    }

    /** The metrics so far under the given convention. */
    public DepthEvaluation result(DepthAveraging averaging) {
        double[] m;
        int withValid = images - imagesWithoutValid;
        if (withValid == 0) {
            m = new double[8];
            java.util.Arrays.fill(m, Double.NaN);
        } else if (averaging == DepthAveraging.POOLED_PIXELS) {
            m = finish(pooled, validPixels);
        } else {
            m = new double[8];
            for (int k = 0; k < 8; k++) {
                m[k] = perImage[k] / withValid;
            }
        }
        return new DepthEvaluation(DepthMetrics.of(m), averaging, images, imagesWithoutValid, validPixels);
    }

    /** Metrics of a single image under the range (NaN when it has no valid pixel). */
    public static DepthMetrics ofImage(float[] gt, float[] pred, DepthRange range) {
        return new DepthMetricsAccumulator(range, false).add(gt, pred).result(DepthAveraging.POOLED_PIXELS).metrics();
    }
}
