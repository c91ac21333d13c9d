package org.detcon.service.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A row of the job table.
 *
 * @param attempt    1 for the first run; +1 each time the service restarts under a running job
 * @param slot       the slot it holds while STARTING / RUNNING / CANCELLING (null otherwise)
 * @param device     the {@code --device} of its latest run's slot ({@code cpu}, {@code gpu:1}; null: never ran)
 * @param pid        the child JVM's process id while it runs (0: none)
 * @param pidStarted the child's start time (epoch seconds), so a recycled pid is never mistaken for it
 * @param step       steps done (pretraining); {@code total} of the schedule
 * @param error      one line: why it failed
 */
public record Job(long id, String kind, JsonNode config, String configHash, String submissionId, int priority,
        int maxRestarts, List<String> labels, JobStatus status, int attempt, String slot, String device, long pid,
        long pidStarted, long submittedAt, long startedAt, long finishedAt, long step, long total, double loss,
        double imgPerSec, String outputUri, String resultUri, String error) {
}
