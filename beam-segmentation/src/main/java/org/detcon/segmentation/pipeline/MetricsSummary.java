package org.detcon.segmentation.pipeline;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The pipeline's Beam metrics at the end of a run: counters (images read/written, rejected by reason) and
 * distributions (segments per image and milliseconds per image, per mask set). Values are the committed ones where
 * the runner has them, else the attempted ones (which count retried bundles again).
 */
public record MetricsSummary(Map<String, Long> counters, Map<String, Dist> distributions) {

    /** A distribution's summary. */
    public record Dist(long count, long sum, long min, long max) {
        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }
    }

    public MetricsSummary {
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
        distributions = Collections.unmodifiableMap(new TreeMap<>(distributions));
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** The final metrics of a job: committed values where the runner has them, else attempted ones. */
    public static MetricsSummary of(PipelineResult result) {
        return summarise(result, false);
    }

    /** The attempted values, which a runner reports while the job runs (they count retried bundles again). */
    public static MetricsSummary attempted(PipelineResult result) {
        return summarise(result, true);
    }

    private static MetricsSummary summarise(PipelineResult result, boolean attempted) {
        Map<String, Long> counters = new TreeMap<>();
        Map<String, Dist> dists = new TreeMap<>();
        MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.inNamespace(MaskMetrics.NAMESPACE)).build());
        for (MetricResult<Long> c : q.getCounters()) {
            if (c.getName().getNamespace().equals(MaskMetrics.NAMESPACE)) {
                counters.merge(c.getName().getName(), attempted ? c.getAttempted() : value(c), Long::sum);
            }
        }
        for (MetricResult<DistributionResult> d : q.getDistributions()) {
            if (d.getName().getNamespace().equals(MaskMetrics.NAMESPACE)) {
                DistributionResult v = attempted ? d.getAttempted() : value(d);
                dists.merge(d.getName().getName(), new Dist(v.getCount(), v.getSum(), v.getMin(), v.getMax()),
                        (a, b) -> new Dist(a.count + b.count, a.sum + b.sum, Math.min(a.min, b.min),
                                Math.max(a.max, b.max)));
            }
        }
        return new MetricsSummary(counters, dists);
    }

    private static <T> T value(MetricResult<T> r) {
        try {
            T v = r.getCommitted();
            if (v != null) {
                return v;
            }
        } catch (UnsupportedOperationException e) {
            // this runner has no committed metrics
        }
        return r.getAttempted();
    }

    /** A short multi-line table. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("metrics (namespace ").append(MaskMetrics.NAMESPACE).append("):\n");
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            sb.append(String.format("  %-40s %12d%n", e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, Dist> e : distributions.entrySet()) {
            Dist d = e.getValue();
            sb.append(String.format("  %-40s n=%d mean=%.1f min=%d max=%d%n", e.getKey(), d.count, d.mean(), d.min,
                    d.max));
        }
        return sb.toString();
    }
}
