package org.detcon.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The progress protocol between a training child process and its parent (a sweep's child step, a trainer service's
 * job): one stdout line {@code @progress {"done":..,"total":..,"loss":..,"img_per_s":..}} per step, told apart
 * from the child's log lines by its prefix, and after each checkpoint one line
 * {@code @progress {"done":..,"total":..,"checkpoint_s":..}} (how long writing it took; {@link #checkpoint()}).
 * Loss, throughput and checkpoint seconds are left out when not finite.
 */
public record ProgressLine(long done, long total, double loss, double imgPerSec, double checkpointSeconds) {

    public static final String PREFIX = "@progress ";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A step's progress. */
    public ProgressLine(long done, long total, double loss, double imgPerSec) {
        this(done, total, loss, imgPerSec, Double.NaN);
    }

    /** The checkpoint after {@code done} steps took {@code seconds}. */
    public static ProgressLine checkpoint(long done, long total, double seconds) {
        return new ProgressLine(done, total, Double.NaN, Double.NaN, seconds);
    }

    /** Whether this reports a checkpoint (not a step). */
    public boolean checkpoint() {
        return Double.isFinite(checkpointSeconds);
    }

    /** The line (without a newline). */
    public String format() {
        ObjectNode e = JSON.createObjectNode();
        e.put("done", done).put("total", total);
        if (Double.isFinite(loss)) {
            e.put("loss", loss);
        }
        if (Double.isFinite(imgPerSec)) {
            e.put("img_per_s", imgPerSec);
        }
        if (Double.isFinite(checkpointSeconds)) {
            e.put("checkpoint_s", checkpointSeconds);
        }
        return PREFIX + e;
    }

    /** Writes the line to stdout and flushes it. */
    public void print() {
        System.out.println(format());
        System.out.flush();
    }

    /** The progress {@code line} carries, or empty for any other line (a log line). */
    public static Optional<ProgressLine> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            JsonNode e = JSON.readTree(line.substring(PREFIX.length()));
            return Optional.of(new ProgressLine(e.get("done").asLong(), e.get("total").asLong(),
                    e.path("loss").asDouble(Double.NaN), e.path("img_per_s").asDouble(Double.NaN),
                    e.path("checkpoint_s").asDouble(Double.NaN)));
        } catch (java.io.IOException ex) {
            throw new UncheckedIOException("a progress line that is not JSON: " + line, ex);
        }
    }
}
