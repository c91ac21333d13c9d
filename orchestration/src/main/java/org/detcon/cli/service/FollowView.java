package org.detcon.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.LongSupplier;
import org.detcon.trainer.run.listener.ProgressDisplay;

/**
 * What {@code detcon service logs -f} shows of a job, as a local {@code detcon train} run shows itself: the job's
 * log lines printed above {@link ProgressDisplay}'s status line, which its pretraining's {@code metrics.jsonl}
 * lines drive (step, loss, img/s, data wait; the bar and ETA from the job's total steps and batch size), then the
 * job's final status. Fed by the service's two event streams (log and metrics) from two threads.
 */
final class FollowView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final ProgressDisplay bar;
    private final int batchSize;
    private final LongSupplier totalSteps;
    private long total;

    /**
     * @param batchSize  the pretraining's batch size (img/s to s/step and ETA)
     * @param totalSteps the job's total steps, asked again while it is not known yet (0: the job has not started)
     */
    FollowView(PrintWriter out, int batchSize, LongSupplier totalSteps) {
        this.out = out;
        this.bar = new ProgressDisplay(out);
        this.batchSize = batchSize;
        this.totalSteps = totalSteps;
    }

    /** A line of the job's log. */
    synchronized void logLine(String text) {
        bar.message(text);
    }

    /** A line of the job's {@code metrics.jsonl}; one that is not a step's JSON is ignored. */
    synchronized void metricsLine(String json) {
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (IOException e) {
            return;
        }
        if (!m.path("step").isIntegralNumber()) {
            return;
        }
        if (total <= 0) {
            total = totalSteps.getAsLong();
        }
        long done = m.get("step").asLong() + 1;
        bar.show(done, Math.max(total, done), batchSize, m.path("loss").asDouble(Double.NaN),
                m.path("img_per_s").asDouble(Double.NaN), m.path("data_wait").asDouble(0), done >= total);
    }

    /**
     * The job ended with {@code status} (null: the stream closed before it said) and {@code error} (FAILED's reason,
     * or null): prints {@code job ID STATUS[: error]} below the status line; the exit status, 0 only for SUCCEEDED.
     */
    synchronized int end(long id, String status, String error) {
        bar.close();
        out.println("job " + id + " " + (status == null ? "(connection closed before the job ended)" : status)
                + (error == null || error.isBlank() ? "" : ": " + error));
        out.flush();
        return "SUCCEEDED".equals(status) ? 0 : 1;
    }
}
