package org.detcon.segmentation.pipeline;

import java.util.Locale;

/**
 * How far a mask job is, from its Beam metrics: images done (masked or rejected) of the total, images written so
 * far, the rate and an ETA.
 *
 * @param done    images masked or rejected so far
 * @param total   images to process (-1 unknown)
 * @param rejected inputs rejected so far
 * @param written samples in published shards so far (on Flink: known when the writers finish)
 * @param shardsWritten shards published so far
 * @param seconds since the job was submitted
 * @param finished whether the job has ended
 */
public record MaskProgress(long done, long total, long rejected, long written, long shardsWritten, double seconds,
                           boolean finished) {

    static MaskProgress of(MetricsSummary m, long total, double seconds, boolean finished) {
        long rejected = m.counter(MaskMetrics.REJECTED);
        long done = m.counter(MaskMetrics.IMAGES_MASKED) + rejected;
        return new MaskProgress(total > 0 ? Math.min(done, total) : done, total, rejected,
                m.counter(MaskMetrics.IMAGES_WRITTEN), m.counter(MaskMetrics.SHARDS_WRITTEN), seconds, finished);
    }

    /** Images per second since the start. */
    public double rate() {
        return seconds > 0 ? done / seconds : 0;
    }

    /**
     * One line: {@code images 1234/5000 (24.7%), 18.3 img/s, 3 rejected, ETA 3m26s}, then
     * {@code ..., writing: 2100 in 5 shards} while the shards are written and
     * {@code ..., 4997 written in 12 shards, done in 4m51s} at the end. The rate and the ETA include the job's
     * start-up.
     */
    public String format() {
        StringBuilder sb = new StringBuilder("images ").append(done);
        if (total > 0) {
            sb.append('/').append(total).append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
        }
        sb.append(String.format(Locale.ROOT, ", %.1f img/s, %d rejected", rate(), rejected));
        if (finished) {
            sb.append(String.format(Locale.ROOT, ", %d written in %d shard%s, done in %s", written, shardsWritten,
                    shardsWritten == 1 ? "" : "s", duration(seconds)));
        } else if (shardsWritten > 0 || written > 0 || (total > 0 && done >= total)) {
            sb.append(String.format(Locale.ROOT, ", writing: %d in %d shard%s", written, shardsWritten,
                    shardsWritten == 1 ? "" : "s"));
        } else if (total > 0 && done > 0) {
            sb.append(", ETA ").append(duration((total - done) / rate()));
        }
        return sb.toString();
    }

    static String duration(double s) {
        long t = Math.round(s);
        if (t < 60) {
            return t + "s";
        }
        if (t < 3600) {
            return (t / 60) + "m" + String.format(Locale.ROOT, "%02ds", t % 60);
        }
        return (t / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (t % 3600) / 60);
    }
}
