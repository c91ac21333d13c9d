package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FlinkRestMetrics} against a stand-in for Flink's REST API serving the answers a running job gives. */
class FlinkRestMetricsTest {

    private static final String COMPUTE = "v1";
    private static final String WRITE = "v2";
    private static final String COMPUTE_NAME = "ComputeMasks/SpreadInputs/Values -> ComputeMasks/DecodeAndMask"
            + " -> WriteShards/AssignBucket/ParMultiDo(AssignBucket) -> Combine: WriteShards/GroupByBucket";
    private static final String WRITE_NAME = "WriteShards/GroupByBucket -> WriteShards/Write"
            + " -> WriteShards/ImagesWritten/ParMultiDo(CountWritten)";

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath().substring(1);
            String query = ex.getRequestURI().getRawQuery();
            String body = answers.get(query == null ? path : path + "?agg");
            byte[] bytes = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        answers.put("jobs/overview", "{\"jobs\":[{\"jid\":\"old\",\"name\":\"masks\",\"start-time\":1},"
                + "{\"jid\":\"j\",\"name\":\"masks\",\"start-time\":" + System.currentTimeMillis() + "}]}");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FlinkRestMetrics metrics() {
        return new FlinkRestMetrics("http://127.0.0.1:" + server.getAddress().getPort(), "masks", 10);
    }

    private void job(String computeStatus, String writeStatus) {
        answers.put("jobs/j", "{\"vertices\":[{\"id\":\"" + COMPUTE + "\",\"name\":\"" + COMPUTE_NAME
                + "\",\"status\":\"" + computeStatus + "\"},{\"id\":\"" + WRITE + "\",\"name\":\"" + WRITE_NAME
                + "\",\"status\":\"" + writeStatus + "\"}]}");
    }

    /** The metrics a vertex lists and their sums over its subtasks. */
    private void vertex(String id, Map<String, Long> sums) {
        StringBuilder list = new StringBuilder("[");
        StringBuilder agg = new StringBuilder("[");
        sums.forEach((name, sum) -> {
            String sep = list.length() > 1 ? "," : "";
            list.append(sep).append("{\"id\":\"").append(name).append("\"}");
            agg.append(sep).append("{\"id\":\"").append(name).append("\",\"sum\":").append(sum).append('}');
        });
        answers.put("jobs/j/vertices/" + id + "/subtasks/metrics", list.append(']').toString());
        answers.put("jobs/j/vertices/" + id + "/subtasks/metrics?agg", agg.append(']').toString());
    }

    @Test
    void noJobYetIsNoAnswer() throws Exception {
        answers.remove("jobs/overview");
        answers.put("jobs/overview", "{\"jobs\":[{\"jid\":\"old\",\"name\":\"masks\",\"start-time\":1}]}");
        assertNull(metrics().read());
    }

    @Test
    void whileMaskingRecordCountsGiveDoneAndRejected() throws Exception {
        job("RUNNING", "CREATED");
        vertex(COMPUTE, Map.of("ComputeMasks/DecodeAndMask.numRecordsOut", 6L,
                "WriteShards/AssignBucket/ParMultiDo(AssignBucket).numRecordsIn", 4L,
                "numRecordsOut", 99L));
        vertex(WRITE, Map.of());
        MaskProgress p = MaskProgress.of(metrics().read(), 10, 1, false);
        assertEquals(6, p.done());
        assertEquals(2, p.rejected());
        assertEquals(0, p.written());
    }

    @Test
    void aWrittenShardMeansEveryImageIsDoneEvenWhenTheMaskingCountersWereNeverFetched() throws Exception {
        // the REST API's cached vertex states lag: the masking step still shows RUNNING
        job("RUNNING", "CREATED");
        vertex(COMPUTE, Map.of());
        vertex(WRITE, Map.of("WriteShards/Write.numRecordsOut", 2L,
                "WriteShards/ImagesWritten/ParMultiDo(CountWritten).numRecordsIn", 5L));
        MaskProgress p = MaskProgress.of(metrics().read(), 10, 1, false);
        assertEquals(10, p.done());
        assertEquals(5, p.written());
        assertEquals(2, p.shardsWritten());
    }

    @Test
    void aFinishedMaskingStepMeansEveryImageIsDoneAndBeamCountersWin() throws Exception {
        job("FINISHED", "RUNNING");
        vertex(COMPUTE, Map.of("ComputeMasks/DecodeAndMask.numRecordsOut", 3L,
                "WriteShards/AssignBucket/ParMultiDo(AssignBucket).numRecordsIn", 3L,
                "ComputeMasks/DecodeAndMask.detcon.masks." + MaskMetrics.REJECTED, 1L));
        vertex(WRITE, Map.of());
        MaskProgress p = MaskProgress.of(metrics().read(), 10, 1, false);
        assertEquals(10, p.done());
        assertEquals(1, p.rejected());
    }
}
