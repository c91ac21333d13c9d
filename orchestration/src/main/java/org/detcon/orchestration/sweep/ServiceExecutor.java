package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.OutputLocation;
import org.detcon.orchestration.runs.Step;
import org.detcon.service.client.ServiceClient;
import org.detcon.service.exec.JobMain;
import org.detcon.service.jobs.JobKinds;

/**
 * Runs a sweep's pretraining and evaluation steps as jobs on trainer services ({@code detcon sweep run --service
 * URL[,URL...]}); the data and mask steps run in this JVM. The sweep runs as many steps at once as the services
 * have slots ({@code GET /v1/info}), and each job goes to the service with the most slots not taken by this sweep
 * (a pretraining that leaves {@code torch_threads} open gets that service's cores per slot).
 * A job's outcome is read back through its output: a pretraining's {@value JobMain#RUN_RESULT} and exports, an
 * evaluation's {@code result.json}, so the run store records the same outputs and metrics as a local run, plus
 * where the step ran (the service's URL and job id).
 *
 * <p>The services write the step folders where the plan puts them: under an {@code s3://} prefix ({@code
 * --outputs}), or under the sweep's working directory, which they must then reach at the same path (a shared
 * filesystem; {@link #requireReachable}); an evaluation job stages an object store's dataset into its own folder
 * on the service and writes its result through it. A service unreachable for longer than a lease length
 * of the run store, or that no longer knows the job, is given up for the rest of the run: the attempt is lost
 * ({@link StepExecutor.Lost}) and the engine runs the step again on another service, where a pretraining continues
 * from its newest checkpoint in the shared folder. A job the service failed or cancelled fails the attempt.
 */
public final class ServiceExecutor implements StepExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 500;

    /**
     * A service: its client, slots, the PyTorch threads of a job there (its cores over its slots), the jobs this
     * sweep has on it, and whether it was given up.
     */
    private static final class Service {
        final String url;
        final ServiceClient client;
        final int slots;
        final int threads;
        int inFlight;
        boolean gone;

        Service(String url, ServiceClient client, int slots, int threads) {
            this.url = url;
            this.client = client;
            this.slots = slots;
            this.threads = threads;
        }
    }

    private record Placement(Service service, long job) {
    }

    private final List<Service> services;
    private final double graceSeconds;
    private final Map<String, Placement> running = new ConcurrentHashMap<>();

    private ServiceExecutor(List<Service> services, double graceSeconds) {
        this.services = services;
        this.graceSeconds = graceSeconds;
    }

    /**
     * Connects to the services at {@code urls} with {@code token}; each must answer {@code GET /v1/info} and run
     * pretraining. {@code graceSeconds}: how long a service may be unreachable before its job is given up.
     */
    public static ServiceExecutor connect(List<String> urls, String token, double graceSeconds) throws IOException {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--service: give at least one URL");
        }
        List<Service> out = new ArrayList<>();
        for (String url : urls) {
            ServiceClient c = new ServiceClient(url, token);
            ServiceClient.Response r = c.get("/v1/info");
            if (r.status() != 200) {
                throw new IllegalArgumentException("--service " + url + ": GET /v1/info answered HTTP " + r.status()
                        + (r.status() == 401 ? " (wrong or missing token: --service-token-file or "
                        + ServiceClient.TOKEN_ENV + ")" : ""));
            }
            JsonNode info = r.json();
            boolean pretrain = false;
            for (JsonNode k : info.path("kinds")) {
                pretrain |= k.asText().equals(JobKinds.PRETRAIN);
            }
            int slots = info.path("slots").size();
            if (!pretrain || slots < 1) {
                throw new IllegalArgumentException("--service " + url + ": not a trainer service with slots ("
                        + info + ")");
            }
            int cores = info.path("devices").path(0).path("cores").asInt(1);
            out.add(new Service(url.replaceAll("/+$", ""), c, slots, Math.max(1, cores / slots)));
        }
        return new ServiceExecutor(out, graceSeconds);
    }

    /**
     * Refuses a plan whose locations the services may not reach: step outputs in the working directory, or
     * pretraining data at a local path, unless {@code sharedFilesystem} (mounted at the same path on every service,
     * or services on this machine). The data and mask steps run here, so their inputs may be local.
     */
    public static void requireReachable(SweepPlan plan, boolean sharedFilesystem) {
        if (sharedFilesystem) {
            return;
        }
        if (plan.localOutputs()) {
            throw new IllegalArgumentException("--service: the step outputs would be under " + plan.outputs()
                    + ", a local path the services cannot reach: use --outputs s3://BUCKET/PREFIX (or pass"
                    + " --service-shared-fs when every service mounts it at the same path)");
        }
        for (PlannedStep p : plan.pretrain()) {
            String data = p.spec().path("config").path("data").path("uri").asText();
            if (OutputLocation.isLocal(data)) {
                throw new IllegalArgumentException("--service: the pretraining data " + data + " is a local path the"
                        + " services cannot reach: use an s3:// URI (or pass --service-shared-fs when every service"
                        + " mounts it at the same path)");
            }
        }
        for (SweepPlan.EvalTarget e : plan.evals()) {
            if (e.dataRoot() != null && OutputLocation.isLocal(e.dataRoot())) {
                throw new IllegalArgumentException("--service: the data of evaluation " + e.eval() + ", "
                        + e.dataRoot() + ", is a local path the services cannot reach: pass --service-shared-fs"
                        + " when every service has it at the same path (or run the sweep without --service)");
            }
        }
    }

    /** The services' slots together. */
    @Override
    public int parallelism() {
        return services.stream().mapToInt(s -> s.slots).sum();
    }

    @Override
    public Step.Outcome execute(PlannedStep step, Path workdir, int torchThreads, StepEvents events)
            throws Exception {
        String out = StepWork.output(step);
        return switch (step.kind()) {
            case DATA, MASKS -> StepWork.run(step, workdir, events::note, null);
            case PRETRAIN, EVAL -> remote(step, out, events);
        };
    }

    /** The job of a step: its kind and config. */
    static ObjectNode job(PlannedStep step, String out) {
        ObjectNode spec = step.spec();
        ObjectNode job = JSON.createObjectNode();
        if (step.kind() == StepKind.PRETRAIN) {
            ObjectNode config = spec.get("config").deepCopy();
            config.set("export_steps", spec.get("export_steps"));
            config.put("data_hash", spec.get("data_hash").asText());
            job.put("kind", JobKinds.PRETRAIN);
            job.set("config", config);
        } else {
            ObjectNode config = JSON.createObjectNode();
            config.put("backbone", spec.get("backbone").asText());
            config.put("data", spec.get("data").asText());
            config.put("out", out);
            config.set("settings", spec.get("settings"));
            job.put("kind", spec.get("eval").asText());
            job.set("config", config);
        }
        job.putArray("labels").add("sweep-step:" + step.kind().label() + "-" + step.key().substring(0, 16));
        return job;
    }

    private Step.Outcome remote(PlannedStep step, String out, StepEvents events) throws Exception {
        Service s;
        long id;
        while (true) {
            s = take();
            // a pretraining whose config leaves its threads open gets the service's cores per slot
            ObjectNode job = job(SweepEngine.withThreads(step, s.threads), out);
            try {
                ServiceClient.Response r = s.client.post("/v1/jobs", job);
                if (r.status() != 200 && r.status() != 201) {
                    release(s);
                    throw new IllegalStateException(s.url + " refused the job (HTTP " + r.status() + "): "
                            + r.json().path("error").asText(r.body()));
                }
                id = r.json().get("id").asLong();
                break;
            } catch (IOException e) {
                giveUp(s, events, "cannot reach it: " + firstLine(e));
            }
        }
        running.put(step.key(), new Placement(s, id));
        events.placed(s.url + " job " + id);
        try {
            JsonNode j = follow(s, id, events);
            String status = j.get("status").asText();
            if (!status.equals("SUCCEEDED")) {
                throw new IllegalStateException(status.toLowerCase(Locale.ROOT) + " on " + s.url + " (job " + id
                        + "): " + j.path("error").asText("no reason given"));
            }
            return outcome(step, out, j.path("outputs").path("output_uri").asText(out));
        } finally {
            running.remove(step.key());
            release(s);
        }
    }

    /** Polls job {@code id} until it ends; a service gone for longer than the grace period loses the attempt. */
    private JsonNode follow(Service s, long id, StepEvents events) throws Exception {
        long lastSeen = System.nanoTime();
        while (true) {
            try {
                ServiceClient.Response r = s.client.get("/v1/jobs/" + id);
                if (r.status() == 404) {
                    giveUp(s, events, "it no longer knows job " + id);
                    throw new Lost(s.url + " no longer knows job " + id + ": running the step elsewhere");
                }
                if (r.status() != 200) {
                    throw new IOException("HTTP " + r.status());
                }
                lastSeen = System.nanoTime();
                JsonNode j = r.json();
                String status = j.get("status").asText();
                if (j.has("total") && j.get("total").asLong() > 0) {
                    events.progress(j.get("step").asLong(), j.get("total").asLong(), j.path("loss").asDouble(
                            Double.NaN), j.path("img_per_s").asDouble(Double.NaN));
                }
                if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                    return j;
                }
            } catch (IOException e) {
                double away = (System.nanoTime() - lastSeen) / 1e9;
                if (away > graceSeconds) {
                    giveUp(s, events, String.format(Locale.ROOT, "unreachable for %.0f s (%s)", away, firstLine(e)));
                    throw new Lost(String.format(Locale.ROOT, "%s went away during job %d (unreachable for %.0f s):"
                            + " running the step elsewhere", s.url, id, away));
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** What the finished job left in its output, as the step's outcome. */
    private static Step.Outcome outcome(PlannedStep step, String out, String outputUri) throws IOException {
        if (step.kind() == StepKind.PRETRAIN) {
            JsonNode r;
            try (ObjectStore store = ObjectStores.open(outputUri)) {
                r = JSON.readTree(store.readAllBytes(JobMain.RUN_RESULT));
            }
            return StepWork.pretrainOutcome(out, StepWork.exportSteps(step.spec()), r.get("start_step").asLong(),
                    r.get("steps").asLong(), r.path("first_loss").asDouble(Double.NaN), r.path("last_loss")
                    .asDouble(Double.NaN), r.get("seconds").asDouble(), r.get("peak_rss_bytes").asLong());
        }
        JsonNode r;
        try (ObjectStore store = ObjectStores.open(out)) {
            r = JSON.readTree(store.readAllBytes(StepWork.EVAL_RESULT));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        r.get("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().isNull() ? Double.NaN
                : e.getValue().asDouble()));
        return new Step.Outcome(Map.of("result", OutputLocation.resolve(out, StepWork.EVAL_RESULT)), metrics);
    }

    /** The service with the most slots this sweep does not use (the first of them); none left: a failure. */
    private synchronized Service take() {
        Service best = null;
        for (Service s : services) {
            if (!s.gone && (best == null || s.slots - s.inFlight > best.slots - best.inFlight)) {
                best = s;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no trainer service left (all of " + services.stream().map(x -> x.url)
                    .toList() + " went away)");
        }
        best.inFlight++;
        return best;
    }

    private synchronized void release(Service s) {
        s.inFlight = Math.max(0, s.inFlight - 1);
    }

    private synchronized void giveUp(Service s, StepEvents events, String why) {
        if (!s.gone) {
            s.gone = true;
            events.note("trainer service " + s.url + " given up for this run: " + why);
        }
        s.inFlight = Math.max(0, s.inFlight - 1);
    }

    private static String firstLine(Exception e) {
        return SweepEngine.reason(e);
    }

    /** Asks the service to stop the step's job (its lease went to another process). */
    @Override
    public void cancel(String key) {
        Placement p = running.get(key);
        if (p != null) {
            try {
                p.service.client.post("/v1/jobs/" + p.job + "/cancel");
            } catch (IOException e) {
                // the service is gone: so is the job's writer
            }
        }
    }
}
