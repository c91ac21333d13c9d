package org.detcon.segmentation.pipeline;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.detcon.core.shard.DeadLetter;

/**
 * The mask pipeline's Beam metrics, namespace {@value #NAMESPACE}: counters {@value #INPUTS_LISTED},
 * {@value #IMAGES_READ}, {@value #IMAGES_MASKED} (samples out of {@link ComputeMasks}), {@value #IMAGES_WRITTEN}
 * and {@value #SHARDS_WRITTEN} (counted when a shard is published), {@value #REJECTED} and
 * {@code rejected/<REASON>}; distributions {@code segments_per_image/<set>} and {@code ms_per_image/<set>}. On
 * Flink they are also Flink metrics of the operators (so Flink's metric reporters, e.g. Prometheus, show them as
 * {@code ..._detcon_masks_images_written}).
 */
public final class MaskMetrics {

    public static final String NAMESPACE = "detcon.masks";
    public static final String INPUTS_LISTED = "inputs_listed";
    public static final String IMAGES_READ = "images_read";
    public static final String IMAGES_MASKED = "images_masked";
    public static final String IMAGES_WRITTEN = "images_written";
    public static final String SHARDS_WRITTEN = "shards_written";
    public static final String REJECTED = "rejected";

    private MaskMetrics() {
    }

    static Counter counter(String name) {
        return Metrics.counter(NAMESPACE, name);
    }

    /**
     * A rejected input: counted under {@value #REJECTED} and {@code rejected/<reason>}, returned as its dead letter
     * ({@code "REASON: detail"}).
     */
    static DeadLetter rejected(String input, String reason, String detail) {
        counter(REJECTED).inc();
        counter(REJECTED + "/" + reason).inc();
        return new DeadLetter(input, reason + ": " + detail);
    }

    static Distribution segmentsPerImage(String maskSet) {
        return Metrics.distribution(NAMESPACE, "segments_per_image/" + maskSet);
    }

    static Distribution msPerImage(String maskSet) {
        return Metrics.distribution(NAMESPACE, "ms_per_image/" + maskSet);
    }
}
