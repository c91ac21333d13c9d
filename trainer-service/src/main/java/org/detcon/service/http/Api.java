package org.detcon.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.service.jobs.Job;
import org.detcon.service.jobs.JobKinds;
import org.detcon.service.jobs.JobRequest;
import org.detcon.service.jobs.JobStatus;
import org.detcon.service.jobs.JobStore;
import org.detcon.service.exec.Scheduler;
import org.detcon.service.exec.SlotPlan;
import org.detcon.service.security.Tokens;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.run.TrainingRun;

/** The service's HTTP API (JSON), dispatched on {@link #ROUTES}; see {@code openapi.json}. */
public final class Api implements HttpHandler {

    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/v1/health", false),
            new Route("GET", "/v1/info", true),
            new Route("GET", "/v1/openapi.json", true),
            new Route("POST", "/v1/jobs", true),
            new Route("GET", "/v1/jobs", true),
            new Route("GET", "/v1/jobs/{id}", true),
            new Route("POST", "/v1/jobs/{id}/cancel", true),
            new Route("POST", "/v1/jobs/{id}/requeue", true),
            new Route("GET", "/v1/jobs/{id}/logs", true),
            new Route("GET", "/v1/jobs/{id}/metrics", true),
            new Route("GET", "/metrics", true));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final Scheduler scheduler;
    private final Tokens tokens;
    private final ServiceMetrics metrics;
    private final int maxBody;
    private final SlotPlan plan;
    private final String version;
    private final Object submitLock = new Object();

    public Api(JobStore store, Scheduler scheduler, Tokens tokens, ServiceMetrics metrics, int maxBody, SlotPlan plan,
            String version) {
        this.store = store;
        this.scheduler = scheduler;
        this.tokens = tokens;
        this.metrics = metrics;
        this.maxBody = maxBody;
        this.plan = plan;
        this.version = version;
    }

    /** An answer with an HTTP status. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        HttpError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            Route route = null;
            Long id = null;
            boolean pathKnown = false;
            for (Route r : ROUTES) {
                if (r.pattern().matcher(path).matches()) {
                    pathKnown = true;
                }
                Long m = r.match(method, path);
                if (m != null) {
                    route = r;
                    id = m;
                    break;
                }
            }
            try {
                if (route == null) {
                    throw new HttpError(pathKnown ? 405 : 404, (pathKnown ? "method " + method + " not allowed on "
                            : "no such endpoint: ") + path);
                }
                if (route.authenticated() && !tokens.accepts(x.getRequestHeaders().getFirst("Authorization"))) {
                    x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    throw new HttpError(401, "missing or wrong bearer token (Authorization: Bearer TOKEN; the token"
                            + " is in the service's STATE/token)");
                }
                byte[] body = body(x);
                dispatch(x, route, id, body);
            } catch (HttpError e) {
                error(x, e.code, e.getMessage());
            } catch (IllegalArgumentException e) {
                error(x, 400, e.getMessage());
            } catch (RuntimeException e) {
                System.out.println("HTTP " + method + " " + path + ": " + e);
                error(x, 500, "internal error: " + e.getMessage());
            }
        } finally {
            x.close();
        }
    }

    private byte[] body(HttpExchange x) throws IOException {
        String len = x.getRequestHeaders().getFirst("Content-Length");
        InputStream in = x.getRequestBody();
        if (len != null) {
            long n;
            try {
                n = Long.parseLong(len.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "Content-Length: not a number");
            }
            if (n > maxBody) {
                // read a body up to a few times the limit away, so that its sender gets the 413 and not a reset
                // connection; a larger one is cut off
                if (n <= 4L * maxBody) {
                    in.transferTo(OutputStream.nullOutputStream()); // the stream ends with the body
                }
                throw new HttpError(413, "request body over " + maxBody + " bytes");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > maxBody) {
                throw new HttpError(413, "request body over " + maxBody + " bytes");
            }
        }
        return out.toByteArray();
    }

    private void dispatch(HttpExchange x, Route r, long id, byte[] body) throws IOException {
        Map<String, String> q = query(x);
        switch (r.method() + " " + r.template()) {
            case "GET /v1/health" -> json(x, 200, JSON.createObjectNode().put("status", "ok"));
            case "GET /v1/info" -> json(x, 200, info());
            case "GET /v1/openapi.json" -> {
                try (InputStream in = Api.class.getResourceAsStream("/org/detcon/service/openapi.json")) {
                    send(x, 200, "application/json", in.readAllBytes());
                }
            }
            case "POST /v1/jobs" -> submit(x, body);
            case "GET /v1/jobs" -> {
                JobStatus status = null;
                if (q.containsKey("status")) {
                    try {
                        status = JobStatus.valueOf(q.get("status").toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("status: one of " + List.of(JobStatus.values()));
                    }
                }
                ArrayNode a = JSON.createArrayNode();
                List<Job> queue = store.queue();
                for (Job j : store.list(status, q.get("label"))) {
                    a.add(view(j, queue));
                }
                json(x, 200, JSON.createObjectNode().set("jobs", a));
            }
            case "GET /v1/jobs/{id}" -> json(x, 200, view(job(id), store.queue()));
            case "POST /v1/jobs/{id}/cancel" -> {
                job(id);
                json(x, 200, view(scheduler.cancel(id), store.queue()));
            }
            case "POST /v1/jobs/{id}/requeue" -> {
                Job j = job(id);
                Job r2 = scheduler.requeue(id);
                if (r2 == null) {
                    throw new HttpError(409, "job " + id + " is " + j.status() + "; only a CANCELLED or FAILED job"
                            + " can be requeued");
                }
                json(x, 200, view(r2, store.queue()));
            }
            case "GET /v1/jobs/{id}/logs" -> {
                Job j = job(id);
                Path log = scheduler.logFile(j.id());
                lines(x, j, q, () -> lines(log), "text/plain; charset=utf-8");
            }
            case "GET /v1/jobs/{id}/metrics" -> {
                Job j = job(id);
                if (!j.kind().equals(JobKinds.PRETRAIN)) {
                    throw new HttpError(404, "job " + id + " is " + j.kind() + ": only a pretraining writes "
                            + TrainingRun.METRICS_FILE);
                }
                lines(x, j, q, () -> metricsLines(j), "application/x-ndjson");
            }
            case "GET /metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.write(out);
                send(x, 200, metrics.contentType(), out.toByteArray());
            }
            default -> throw new HttpError(404, "no such endpoint");
        }
    }

    private ObjectNode info() {
        ObjectNode o = JSON.createObjectNode();
        o.put("service", "detcon-trainer-service");
        o.put("version", version);
        ArrayNode devices = o.putArray("devices");
        for (SlotPlan.DeviceInfo d : plan.devices()) {
            ObjectNode n = devices.addObject().put("name", d.name());
            if (d.memoryBytes() >= 0) {
                n.put("memory_bytes", d.memoryBytes());
            }
            if (d.cores() > 0) {
                n.put("cores", d.cores());
            }
            if (d.computeCapability() != null) {
                n.put("compute_capability", d.computeCapability());
            }
        }
        o.put("devices_line", plan.line());
        ArrayNode s = o.putArray("slots");
        scheduler.slots().forEach((slot, job) -> {
            ObjectNode n = s.addObject().put("name", slot.name()).put("device", slot.device());
            if (job == null) {
                n.putNull("job");
            } else {
                n.put("job", job);
            }
        });
        int busy = scheduler.busySlots();
        o.put("slots_busy", busy);
        o.put("slots_free", plan.slots().size() - busy);
        o.putArray("kinds").addAll(JobKinds.names().stream().map(JSON.getNodeFactory()::textNode).toList());
        return o;
    }

    private void submit(HttpExchange x, byte[] body) throws IOException {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JobRequest r = JobRequest.parse(tree);
        synchronized (submitLock) {
            Optional<Job> same = r.submissionId() != null ? store.bySubmissionId(r.submissionId())
                    : store.activeByConfigHash(r.configHash());
            if (same.isPresent()) {
                json(x, 200, submitted(same.get()));
                return;
            }
            JobKinds.Outputs outputs = JobKinds.validate(r, plan.slots().get(0).device());
            Job j = store.insert(r, outputs, System.currentTimeMillis());
            System.out.println("job " + j.id() + " (" + j.kind() + ") queued, priority " + j.priority());
            scheduler.wake();
            json(x, 201, submitted(j));
        }
    }

    private ObjectNode submitted(Job j) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", j.id());
        o.put("status", j.status().name());
        o.put("config_hash", j.configHash());
        o.put("output_uri", j.outputUri());
        int pos = queuePosition(j, store.queue());
        if (pos >= 0) {
            o.put("queue_position", pos);
        } else {
            o.putNull("queue_position");
        }
        return o;
    }

    private static int queuePosition(Job j, List<Job> queue) {
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).id() == j.id()) {
                return i;
            }
        }
        return -1;
    }

    private Job job(long id) {
        return store.get(id).orElseThrow(() -> new HttpError(404, "no job " + id));
    }

    /** A job as the API shows it. */
    ObjectNode view(Job j, List<Job> queue) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", j.id());
        o.put("kind", j.kind());
        o.put("status", j.status().name());
        o.put("attempt", j.attempt());
        o.put("max_restarts", j.maxRestarts());
        o.put("priority", j.priority());
        if (j.submissionId() != null) {
            o.put("submission_id", j.submissionId());
        }
        o.putArray("labels").addAll(j.labels().stream().map(JSON.getNodeFactory()::textNode).toList());
        o.put("config_hash", j.configHash());
        int pos = queuePosition(j, queue);
        if (pos >= 0) {
            o.put("queue_position", pos);
        }
        if (j.device() != null) {
            o.put("device", j.device());
        }
        if (j.slot() != null) {
            o.put("slot", j.slot());
        }
        if (j.pid() != 0) {
            o.put("pid", j.pid());
        }
        o.put("step", j.step());
        o.put("total", j.total());
        if (j.kind().equals(JobKinds.PRETRAIN)) {
            o.put("batch_size", j.config().path("batch_size").asInt(4096));
        }
        if (Double.isFinite(j.loss())) {
            o.put("loss", j.loss());
        }
        if (Double.isFinite(j.imgPerSec()) && j.imgPerSec() > 0) {
            o.put("img_per_s", j.imgPerSec());
            if (j.status() == JobStatus.RUNNING && j.kind().equals(JobKinds.PRETRAIN) && j.total() > j.step()) {
                o.put("eta_seconds", Math.round((j.total() - j.step()) * o.get("batch_size").asInt()
                        / j.imgPerSec()));
            }
        }
        latestCheckpoint(j).ifPresent(c -> o.put("latest_checkpoint", c));
        ObjectNode outs = o.putObject("outputs");
        outs.put("output_uri", j.outputUri());
        if (j.status() == JobStatus.SUCCEEDED) {
            outs.put(j.kind().equals(JobKinds.PRETRAIN) ? "backbone_uri" : "result_uri", j.resultUri());
        }
        o.put("submitted_at", Instant.ofEpochMilli(j.submittedAt()).toString());
        if (j.startedAt() > 0) {
            o.put("started_at", Instant.ofEpochMilli(j.startedAt()).toString());
        }
        if (j.finishedAt() > 0) {
            o.put("finished_at", Instant.ofEpochMilli(j.finishedAt()).toString());
        }
        if (j.error() != null) {
            o.put("error", j.error());
        }
        return o;
    }

    private static Optional<String> latestCheckpoint(Job j) {
        if (!j.kind().equals(JobKinds.PRETRAIN) || j.outputUri() == null) {
            return Optional.empty();
        }
        try (ObjectStore s = ObjectStores.open(j.outputUri())) {
            return Checkpoints.latest(s).map(s::uri);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Lines of a job's log or {@code metrics.jsonl} from {@code from_line} (0-based) as {@code type}
     * ({@code X-Next-Line}: where to continue); with {@code follow=true} as server-sent events (id = line number)
     * until the job ends, then an event {@code status}.
     */
    private void lines(HttpExchange x, Job j, Map<String, String> q, Supplier<List<String>> source, String type)
            throws IOException {
        long from;
        try {
            from = Long.parseLong(q.getOrDefault("from_line", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("from_line: expected a line number, got " + q.get("from_line"));
        }
        if (from < 0) {
            throw new IllegalArgumentException("from_line: expected a line number >= 0, got " + from);
        }
        if (!"true".equals(q.get("follow"))) {
            List<String> lines = source.get();
            StringBuilder sb = new StringBuilder();
            for (int i = (int) Math.min(from, lines.size()); i < lines.size(); i++) {
                sb.append(lines.get(i)).append('\n');
            }
            x.getResponseHeaders().set("X-Next-Line", Integer.toString(lines.size()));
            send(x, 200, type, sb.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        long next = from;
        try {
            while (true) {
                JobStatus status = store.get(j.id()).orElseThrow().status();
                List<String> lines = source.get();
                for (long i = next; i < lines.size(); i++) {
                    out.write(("id: " + i + "\ndata: " + lines.get((int) i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
                next = Math.max(next, lines.size());
                out.flush();
                if (status.terminal()) {
                    out.write(("event: status\ndata: " + status + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away; it reconnects with Last-Event-ID / from_line
        }
    }

    /** The lines of a pretraining's {@code metrics.jsonl} in its output (none before its first step). */
    private static List<String> metricsLines(Job j) {
        try (ObjectStore s = ObjectStores.open(j.outputUri())) {
            if (!s.exists(TrainingRun.METRICS_FILE)) {
                return List.of();
            }
            return new String(s.readAllBytes(TrainingRun.METRICS_FILE), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
                q.put(k, i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        String last = x.getRequestHeaders().getFirst("Last-Event-ID");
        if (last != null && last.strip().matches("[0-9]{1,18}")) {
            q.put("from_line", Long.toString(Long.parseLong(last.strip()) + 1));
        }
        return q;
    }

    private static void json(HttpExchange x, int code, JsonNode body) throws IOException {
        send(x, code, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    private static void error(HttpExchange x, int code, String message) throws IOException {
        json(x, code, JSON.createObjectNode().put("error", message == null ? "error" : message));
    }

    private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }
}
