package org.detcon.orchestration.report;

import java.util.List;

/**
 * A metric over the seeds of one row: count, mean, sample standard deviation (n − 1; 0 for one seed), and the
 * worst and best seed.
 */
public record SeedStats(int n, double mean, double std, double min, double max) {

    public static SeedStats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new SeedStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new SeedStats(n, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max);
    }
}
