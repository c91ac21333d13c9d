package org.detcon.eval.metrics.depth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The standard monocular-depth metrics (Eigen et al., 2014) over valid pixels, with g the ground truth and p the
 * prediction: threshold accuracies delta_k = fraction of pixels with max(p/g, g/p) &lt; 1.25^k (fractions in
 * [0, 1]; {@link #delta1Percent()} for percentages), abs rel = mean |p - g| / g, sq rel = mean (p - g)^2 / g,
 * RMSE = sqrt(mean (p - g)^2), RMSE log = sqrt(mean (ln p - ln g)^2), log10 = mean |log10 p - log10 g|.
 */
public record DepthMetrics(double delta1, double delta2, double delta3, double absRel, double sqRel, double rmse,
                           double rmseLog, double log10) {

    /** The metric names as used in JSON output, in table order. */
    public static final String[] NAMES = {"delta1", "delta2", "delta3", "abs_rel", "sq_rel", "rmse", "rmse_log",
        "log10"};

    public double delta1Percent() {
        return 100 * delta1;
    }

    public double delta2Percent() {
        return 100 * delta2;
    }

    public double delta3Percent() {
        return 100 * delta3;
    }

    /** Name → value, in {@link #NAMES} order. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] v = values();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], v[i]);
        }
        return m;
    }

    double[] values() {
        return new double[] {delta1, delta2, delta3, absRel, sqRel, rmse, rmseLog, log10};
    }

    static DepthMetrics of(double[] v) {
        return new DepthMetrics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "δ<1.25 %.2f%%  δ<1.25² %.2f%%  δ<1.25³ %.2f%%  absRel %.4f  sqRel %.4f  "
                + "RMSE %.4f  RMSElog %.4f  log10 %.4f", delta1Percent(), delta2Percent(), delta3Percent(), absRel,
                sqRel, rmse, rmseLog, log10);
    }
}
