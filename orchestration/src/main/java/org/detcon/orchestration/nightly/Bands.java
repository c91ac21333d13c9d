package org.detcon.orchestration.nightly;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tolerances for comparing runs on different platforms, per metric: {@code |current − baseline| ≤ atol + rtol ·
 * |baseline|}. Keys: {@code loss}, an evaluation metric ({@code probe.miou}), {@code metrics} (every evaluation
 * metric without its own band), {@code img_per_s}, {@code peak_rss_mib}; the last two only ever warn.
 */
public record Bands(Map<String, Band> bands) {

    /** One tolerance. */
    public record Band(double rtol, double atol) {
        boolean within(double baseline, double current) {
            return Math.abs(current - baseline) <= atol + rtol * Math.abs(baseline) + 1e-12;
        }

        String describe() {
            if (rtol > 0 && atol > 0) {
                return String.format(java.util.Locale.ROOT, "±(%.4g + %.2g%%)", atol, 100 * rtol);
            }
            return rtol > 0 ? String.format(java.util.Locale.ROOT, "±%.3g%%", 100 * rtol)
                    : String.format(java.util.Locale.ROOT, "±%.4g", atol);
        }
    }

    /** Loss 1 % relative; evaluation metrics ±0.5 points (they are fractions); speed and memory ±50 % (warnings). */
    public static Bands defaults() {
        Map<String, Band> m = new LinkedHashMap<>();
        m.put("loss", new Band(0.01, 0));
        m.put("metrics", new Band(0, 0.005));
        m.put("probe.abs_rel", new Band(0.02, 0));
        m.put("probe.rmse", new Band(0.02, 0));
        m.put("img_per_s", new Band(0.5, 0));
        m.put("peak_rss_mib", new Band(0.5, 0));
        return new Bands(m);
    }

    /** The band of {@code metric} ({@code probe.miou}), falling back to {@code metrics}. */
    Band of(String metric) {
        Band b = bands.get(metric);
        if (b == null) {
            b = bands.get("metrics");
        }
        return b == null ? defaults().bands().get("metrics") : b;
    }

    Band loss() {
        return bands.getOrDefault("loss", defaults().bands().get("loss"));
    }
}
