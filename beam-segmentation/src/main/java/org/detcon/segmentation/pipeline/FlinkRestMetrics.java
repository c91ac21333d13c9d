package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Flink job's progress, read from Flink's REST API (the embedded mini-cluster's or a session cluster's).
 *
 * <p>The Flink runner registers each Beam counter as a metric of its operator ({@code detcon.masks.<counter>}),
 * but in BATCH mode it publishes them only when a task has finished its input. Until then the live numbers are
 * Flink's own record counters of the pipeline's steps: every listed image leaves {@code ComputeMasks/DecodeAndMask}
 * (or {@code .../AddMasks} for a shard input) as exactly one record, a sample or a dead letter, and every sample
 * enters {@code WriteShards/AssignBucket}; so images done = the first, masked = the second, rejected = the
 * difference; every published shard leaves {@code WriteShards/Write} as one record and every image in it enters
 * {@code WriteShards/ImagesWritten} as one record. Once the step that masks the images has finished, all of them
 * are done (its metrics may never have been fetched while it ran, when it was quick), and so are they once a shard
 * has been written. Where the Beam counters are larger (published by finished tasks) they win. The job is found by
 * name, the most recent one started since this object was made.
 */
final class FlinkRestMetrics {

    private static final String PREFIX = MaskMetrics.NAMESPACE + ".";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String jobName;
    private final long total;
    private final long notBeforeMillis;
    private String jobId;

    /**
     * @param restUrl the REST endpoint, e.g. {@code http://localhost:8081/}
     * @param total   the images the job has to do (-1 unknown)
     */
    FlinkRestMetrics(String restUrl, String jobName, long total) {
        this.base = restUrl.endsWith("/") ? restUrl : restUrl + "/";
        this.jobName = jobName;
        this.total = total;
        this.notBeforeMillis = System.currentTimeMillis() - 5_000;
    }

    /** The job's counters now, or null while the job is not visible yet. */
    MetricsSummary read() throws IOException, InterruptedException {
        if (jobId == null) {
            jobId = findJob();
            if (jobId == null) {
                return null;
            }
        }
        Map<String, Long> beam = new HashMap<>();
        long done = 0;
        long masked = 0;
        long shards = 0;
        long written = 0;
        boolean computeFinished = false;
        for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
            String vertexName = v.path("name").asText();
            if ((vertexName.contains("/DecodeAndMask") || vertexName.contains("/AddMasks"))
                    && "FINISHED".equals(v.path("status").asText())) {
                computeFinished = true;
            }
            String vertex = "jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/subtasks/metrics";
            Map<String, String> wanted = new HashMap<>();
            for (JsonNode m : get(vertex)) {
                String id = m.path("id").asText();
                int at = id.indexOf(PREFIX);
                if (at >= 0) {
                    String name = id.substring(at + PREFIX.length());
                    if (!name.startsWith("segments_per_image/") && !name.startsWith("ms_per_image/")) {
                        wanted.put(id, name);
                    }
                } else if (id.endsWith("/DecodeAndMask.numRecordsOut") || id.endsWith("/AddMasks.numRecordsOut")) {
                    wanted.put(id, "#done");
                } else if (id.contains("WriteShards/AssignBucket") && id.endsWith(".numRecordsIn")) {
                    wanted.put(id, "#masked");
                } else if (id.endsWith("WriteShards/Write.numRecordsOut")) {
                    wanted.put(id, "#shards");
                } else if (id.contains("WriteShards/" + WriteShards.IMAGES_WRITTEN_STEP + "/")
                        && id.endsWith(".numRecordsIn")) {
                    wanted.put(id, "#written");
                }
            }
            if (wanted.isEmpty()) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (String id : wanted.keySet()) {
                ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8));
            }
            for (JsonNode m : get(vertex + "?agg=sum&get=" + String.join(",", ids))) {
                String metric = wanted.get(m.path("id").asText());
                if (metric == null || !m.has("sum")) {
                    continue;
                }
                long value = Math.round(m.path("sum").asDouble());
                switch (metric) {
                    case "#done" -> done += value;
                    case "#masked" -> masked += value;
                    case "#shards" -> shards += value;
                    case "#written" -> written += value;
                    default -> beam.merge(metric, value, Long::sum);
                }
            }
        }
        Map<String, Long> counters = new HashMap<>(beam);
        counters.merge(MaskMetrics.REJECTED, Math.max(0, done - masked), Math::max);
        // the shards are grouped in the global window, so a shard is written only once every image has been masked
        // (the job's vertex states, cached by the REST API, may lag behind, and the masking step's counters may not
        // have been fetched at all while it ran)
        if ((computeFinished || shards > 0 || written > 0) && total > 0) {
            // all done: those not (yet seen) rejected were masked
            masked = Math.max(masked, total - counters.get(MaskMetrics.REJECTED));
        }
        counters.merge(MaskMetrics.IMAGES_MASKED, masked, Math::max);
        counters.merge(MaskMetrics.SHARDS_WRITTEN, shards, Math::max);
        counters.merge(MaskMetrics.IMAGES_WRITTEN, written, Math::max);
        return new MetricsSummary(counters, Map.of());
    }

    private String findJob() throws IOException, InterruptedException {
        String best = null;
        long bestStart = Long.MIN_VALUE;
        for (JsonNode j : get("jobs/overview").path("jobs")) {
            long start = j.path("start-time").asLong();
            if (jobName.equals(j.path("name").asText()) && start >= notBeforeMillis && start > bestStart) {
                best = j.path("jid").asText();
                bestStart = start;
            }
        }
        return best;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + base + path);
        }
        return JSON.readTree(r.body());
    }
}
