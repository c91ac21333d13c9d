package org.detcon.service;

import static org.detcon.service.TestJobs.JSON;
import static org.detcon.service.TestJobs.await;
import static org.detcon.service.TestJobs.config;
import static org.detcon.service.TestJobs.pretrain;
import static org.detcon.service.TestJobs.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.detcon.service.client.ServiceClient;
import org.detcon.service.http.Api;
import org.detcon.service.http.Route;
import org.detcon.service.security.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over real HTTP on loopback, one slot, real child JVMs training a tiny BYOL. */
class ServiceApiTest {

    @TempDir
    static Path dir;
    static Path data;
    static TrainerService service;
    static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        data = TestJobs.shapes(dir);
        service = TrainerService.start(ServiceOptions.defaults(dir.resolve("state")).withPort(0));
        client = new ServiceClient(service.url(), Tokens.read(dir.resolve("state/token")));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void tokenIsPrivateAndRequiredEverywhereButHealth() throws Exception {
        Path token = dir.resolve("state/token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(token));
        assertTrue(Tokens.read(token).length() >= 32);
        ServiceClient none = new ServiceClient(service.url(), null);
        ServiceClient wrong = new ServiceClient(service.url(), Tokens.read(token) + "x");
        assertEquals(200, none.get("/v1/health").status());
        for (String p : List.of("/v1/info", "/v1/jobs", "/metrics", "/v1/openapi.json", "/v1/jobs/1")) {
            assertEquals(401, none.get(p).status(), p);
            assertEquals(401, wrong.get(p).status(), p);
        }
        assertEquals(401, none.post("/v1/jobs", pretrain("method: byol")).status());
        JsonNode info = client.get("/v1/info").json();
        assertEquals(1, info.get("slots").size());
        assertEquals("cpu", info.get("slots").get(0).get("device").asText(), info.toString());
        JsonNode cpu = info.get("devices").get(0);
        assertEquals("cpu", cpu.get("name").asText(), info.toString());
        assertTrue(cpu.get("cores").asInt() > 0 && cpu.get("memory_bytes").asLong() > 0, info.toString());
        assertTrue(info.get("kinds").toString().contains("probe"), info.toString());
        assertEquals(404, client.get("/v1/nope").status());
        // a non-loopback bind without a token file is refused
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Tokens.forService(dir.resolve("other"), "0.0.0.0"));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @Test
    void badSubmissionsAre400WithTheReasonAndBodiesAreLimited() throws Exception {
        ServiceClient.Response r = client.post("/v1/jobs", pretrain("method: byol\nsteps: 4\n"));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("error").asText().contains("output.uri"), r.body());
        ObjectNode unknown = JSON.createObjectNode().put("kind", "train-everything").put("config", "a: 1");
        r = client.post("/v1/jobs", unknown);
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("pretrain, probe"), r.body());
        r = client.post("/v1/jobs", pretrain(config(dir.resolve("no-data"), dir.resolve("o"), 4, 2)));
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("data.uri"), r.body());
        r = client.post("/v1/jobs", pretrain(config(data, dir.resolve("o"), 4, 2).replace("steps: 4", "steps: -4")));
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().startsWith("steps"), r.body());
        ObjectNode probe = JSON.createObjectNode().put("kind", "probe");
        probe.putObject("config").put("backbone", dir.resolve("nothing").toString()).put("data", dir.toString())
                .put("out", dir.resolve("p").toString());
        r = client.post("/v1/jobs", probe);
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().startsWith("config.backbone"), r.body());
        ObjectNode big = pretrain("x".repeat(ServiceOptions.DEFAULT_MAX_BODY + 10));
        assertEquals(413, client.post("/v1/jobs", big).status());
    }

    @Test
    void queuesByPriorityCancelsRequeuesAndResumes() throws Exception {
        // 4 steps, a checkpoint every 2: the cancel (sent while its JVM starts) stops it after step 2
        String longRun = config(data, dir.resolve("a"), 4, 2);
        ServiceClient.Response ra = client.post("/v1/jobs", pretrain(longRun));
        assertEquals(201, ra.status(), ra.body());
        long a = ra.json().get("id").asLong();
        // the same kind and config while it is queued or running: the same job
        ServiceClient.Response again = client.post("/v1/jobs", pretrain(longRun));
        assertEquals(200, again.status());
        assertEquals(a, again.json().get("id").asLong());
        await(client, a, status("RUNNING"), 60);

        ObjectNode b = pretrain(config(data, dir.resolve("b"), 2, 2));
        b.put("submission_id", "b-1").putArray("labels").add("team-b");
        ServiceClient.Response rb = client.post("/v1/jobs", b);
        assertEquals(201, rb.status(), rb.body());
        long idB = rb.json().get("id").asLong();
        assertEquals(0, rb.json().get("queue_position").asInt());
        assertEquals(idB, client.post("/v1/jobs", b).json().get("id").asLong(), "same submission_id");
        ObjectNode c = pretrain(config(data, dir.resolve("c"), 2, 2));
        c.put("priority", 5);
        ServiceClient.Response rc = client.post("/v1/jobs", c);
        long idC = rc.json().get("id").asLong();
        assertEquals(0, rc.json().get("queue_position").asInt(), "higher priority goes first");
        assertEquals(1, client.get("/v1/jobs/" + idB).json().get("queue_position").asInt());
        assertEquals(1, client.get("/v1/jobs?label=team-b").json().get("jobs").size());
        assertEquals(1, client.get("/v1/jobs?status=running").json().get("jobs").size());

        // cancel a queued job: at once, idempotent; requeue; cancel again
        assertEquals("CANCELLED", client.post("/v1/jobs/" + idC + "/cancel").json().get("status").asText());
        assertEquals("CANCELLED", client.post("/v1/jobs/" + idC + "/cancel").json().get("status").asText());
        assertEquals("QUEUED", client.post("/v1/jobs/" + idC + "/requeue").json().get("status").asText());
        assertEquals(409, client.post("/v1/jobs/" + idC + "/requeue").status());
        client.post("/v1/jobs/" + idC + "/cancel");

        // cancel the running job: it stops after a checkpoint; B gets the slot
        JsonNode cancelling = client.post("/v1/jobs/" + a + "/cancel").json();
        assertTrue(Set.of("CANCELLING", "CANCELLED").contains(cancelling.get("status").asText()), cancelling.toString());
        JsonNode cancelled = await(client, a, status("CANCELLED"), 120);
        assertTrue(cancelled.has("latest_checkpoint"), cancelled.toString());
        long stoppedAt = cancelled.get("step").asLong();
        assertTrue(stoppedAt < 4, cancelled.toString());
        JsonNode doneB = await(client, idB, status("SUCCEEDED"), 120);
        assertTrue(doneB.get("outputs").get("backbone_uri").asText().endsWith("backbone"), doneB.toString());
        assertEquals("cpu", doneB.get("device").asText(), "the device its slot ran it on: " + doneB);
        assertFalse(doneB.has("slot"), doneB.toString());

        // requeued, A continues from its checkpoint to the end: every step once in metrics.jsonl
        assertEquals("QUEUED", client.post("/v1/jobs/" + a + "/requeue").json().get("status").asText());
        JsonNode doneA = await(client, a, status("SUCCEEDED"), 180);
        assertEquals(4, doneA.get("step").asLong());
        assertEquals(4, TestJobs.losses(dir.resolve("a")).size());
        String log = client.get("/v1/jobs/" + a + "/logs?from_line=0").body();
        assertTrue(log.contains("cancelled after the checkpoint of step"), log);
        assertTrue(log.contains("training steps " + (stoppedAt - stoppedAt % 2)), log);

        // logs: plain lines from a line; followed as events with line numbers, then the status
        ServiceClient.Response plain = client.get("/v1/jobs/" + idB + "/logs?from_line=1");
        List<String> lines = plain.body().lines().toList();
        Followed logs = new Followed();
        client.follow(idB, 1, logs);
        assertEquals(lines, logs.lines);
        assertEquals(1L, logs.ids.get(0));
        assertEquals("SUCCEEDED", logs.end);

        // metrics.jsonl: the same, from the pretraining's output
        List<String> file = java.nio.file.Files.readAllLines(dir.resolve("a").resolve("metrics.jsonl"));
        ServiceClient.Response tail = client.get("/v1/jobs/" + a + "/metrics?from_line=2");
        assertEquals(200, tail.status(), tail.body());
        assertEquals(file.subList(2, 4), tail.body().lines().toList());
        assertEquals("4", tail.headers().firstValue("X-Next-Line").orElse(null));
        Followed metricLines = new Followed();
        client.follow(a, "metrics", 1, metricLines);
        assertEquals(file.subList(1, 4), metricLines.lines);
        assertEquals(List.of(1L, 2L, 3L), metricLines.ids);
        assertEquals("SUCCEEDED", metricLines.end);
        assertEquals(404, client.get("/v1/jobs/999/metrics").status());

        // /metrics parses as the Prometheus text format, with the jobs' counts and the step histogram
        ServiceClient.Response prom = client.get("/metrics");
        assertTrue(prom.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                prom.headers().toString());
        Map<PrometheusText.Series, Double> samples = PrometheusText.parse(prom.body());
        assertEquals(2.0, PrometheusText.value(samples, "detcon_service_jobs", "status", "SUCCEEDED"));
        assertEquals(1.0, PrometheusText.value(samples, "detcon_service_jobs", "status", "CANCELLED"));
        assertEquals(0.0, PrometheusText.value(samples, "detcon_service_queue_length"));
        assertTrue(PrometheusText.value(samples, "detcon_service_step_seconds_count") >= 4 + 2, prom.body());
        // A checkpoints at steps 2 and 4 (one in each run), B at step 2
        assertTrue(PrometheusText.value(samples, "detcon_checkpoint_seconds_count") >= 3, prom.body());
        assertTrue(PrometheusText.value(samples, "detcon_checkpoint_seconds_sum") > 0, prom.body());
        assertTrue(samples.keySet().stream().anyMatch(x -> x.name().equals("jvm_memory_used_bytes")));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE x gauge\nx{a=\"1\" 2\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("y 1\n"));
    }

    /** What a followed stream sent: line numbers, lines, the final status. */
    private static final class Followed implements ServiceClient.LogSink {
        final List<Long> ids = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        String end;

        @Override
        public void line(long number, String text) {
            ids.add(number);
            lines.add(text);
        }

        @Override
        public void status(String s) {
            end = s;
        }
    }

    @Test
    void openApiListsExactlyTheRoutes() throws Exception {
        JsonNode doc;
        try (InputStream in = Api.class.getResourceAsStream("/org/detcon/service/openapi.json")) {
            doc = JSON.readTree(in);
        }
        assertEquals(doc, client.get("/v1/openapi.json").json());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m ->
                documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
        Set<String> served = new TreeSet<>();
        for (Route r : Api.ROUTES) {
            served.add(r.method() + " " + r.template());
            boolean open = doc.get("paths").get(r.template()).get(r.method().toLowerCase(java.util.Locale.ROOT))
                    .has("security");
            assertEquals(!r.authenticated(), open, r.toString());
        }
        assertEquals(served, documented);
        assertFalse(served.isEmpty());
    }
}
