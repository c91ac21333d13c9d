package org.detcon.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.service.ServiceMain;
import org.detcon.service.ServiceOptions;
import org.detcon.service.client.ServiceClient;
import org.detcon.service.jobs.JobKinds;
import org.detcon.trainer.engine.DeviceException;
import org.detcon.trainer.engine.DeviceSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code detcon service}: run a trainer service, and submit to / watch one. */
@Command(name = "service",
        mixinStandardHelpOptions = true,
        description = {"A trainer service: pretraining and evaluation jobs submitted over HTTP run as child JVMs on"
                + " this host's slots; the job table survives restarts (running jobs resume from their checkpoints).",
            "Every command but start talks to a service: --url URL and --token-file FILE (or DETCON_SERVICE_TOKEN)."},
        subcommands = {ServiceCommand.Start.class, ServiceCommand.Submit.class, ServiceCommand.Status.class,
                ServiceCommand.ListJobs.class, ServiceCommand.Cancel.class, ServiceCommand.Requeue.class,
                ServiceCommand.Logs.class})
public final class ServiceCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code detcon service start}: in the foreground, logging to stdout, until Ctrl-C. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Run a trainer service in the foreground (Ctrl-C stops it; its running jobs resume at the"
                    + " next start).",
                "The bearer token is generated into STATE/token (mode 0600) at the first start on a loopback bind;"
                        + " another bind needs that file to exist already. Put TLS in front of a non-loopback bind."})
    static final class Start implements Callable<Integer> {
        @Option(names = "--state-dir", required = true, paramLabel = "DIR",
                description = "Job table, token and job folders (logs).")
        Path stateDir;

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address (default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--port", defaultValue = "8470", description = "Port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--slots", defaultValue = "1", paramLabel = "N",
                description = "Jobs at once per device: CPU slots on the CPU, jobs sharing each GPU on GPUs (default:"
                        + " ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--devices", defaultValue = "cpu", paramLabel = "DEVICES",
                description = "Where jobs run: cpu, gpu (one slot per GPU), gpu:0,1 (those GPUs) or auto (the GPUs"
                        + " when the native PyTorch has CUDA, else the CPU; the start line says which). Each job's"
                        + " JVM gets --device of its slot (default: ${DEFAULT-VALUE}).")
        String devices;

        @Override
        public Integer call() throws Exception {
            ServiceOptions o;
            try {
                o = new ServiceOptions(stateDir, bind, port, DeviceSpec.parse(devices), slots,
                        ServiceOptions.DEFAULT_MAX_BODY);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage().startsWith("--") ? e.getMessage()
                        : "--devices: " + e.getMessage());
            }
            try {
                ServiceMain.runForeground(o);
            } catch (IllegalStateException e) {
                throw new UsageException(e.getMessage());
            } catch (DeviceException e) {
                throw new UsageException("--devices " + e.getMessage());
            }
            return 0;
        }
    }

    /** {@code --url} and {@code --token-file}. */
    static final class Target {
        @Option(names = "--url", required = true, paramLabel = "URL", description = "The service, e.g."
                + " http://127.0.0.1:8470.")
        String url;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "The service's STATE/token (default: the DETCON_SERVICE_TOKEN variable).")
        Path tokenFile;

        ServiceClient client() throws IOException {
            try {
                return new ServiceClient(url, ServiceClient.token(tokenFile));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    /** The body of a 2xx answer; otherwise the service's reason as the command's error. */
    static JsonNode ok(ServiceClient.Response r) throws IOException {
        if (r.status() / 100 != 2) {
            String why = r.body();
            try {
                why = r.json().path("error").asText(why);
            } catch (IOException e) {
                // not JSON: the raw body
            }
            throw new UsageException("service: HTTP " + r.status() + ": " + why);
        }
        return r.json();
    }

    /** {@code POST /v1/jobs/ID/VERB}, printing the job's new status. */
    static int action(Target target, long id, String verb, CommandLine.Model.CommandSpec spec) throws IOException {
        JsonNode j = ok(target.client().post("/v1/jobs/" + id + "/" + verb));
        spec.commandLine().getOut().println("job " + id + " " + j.get("status").asText());
        return 0;
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a job: --kind pretrain with a training config, or a registered eval (probe, ...)"
                    + " with {backbone, data, out, settings}. Checked at once; the same --submission-id returns the"
                    + " existing job.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--kind", defaultValue = "pretrain", description = "Job kind (default: ${DEFAULT-VALUE}).")
        String kind;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "Config, YAML or JSON.")
        Path config;

        @Option(names = "--submission-id", paramLabel = "ID") String submissionId;

        @Option(names = "--priority", defaultValue = "0") int priority;

        @Option(names = "--max-restarts", paramLabel = "N") Integer maxRestarts;

        @Option(names = "--label", paramLabel = "LABEL") List<String> labels = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(config)) {
                throw new UsageException("config file " + config + " does not exist");
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("kind", kind);
            body.put("config", Files.readString(config));
            if (submissionId != null) {
                body.put("submission_id", submissionId);
            }
            body.put("priority", priority);
            if (maxRestarts != null) {
                body.put("max_restarts", maxRestarts);
            }
            labels.forEach(body.putArray("labels")::add);
            JsonNode j = ok(target.client().post("/v1/jobs", body));
            spec.commandLine().getOut().println("job " + j.get("id").asLong() + " " + j.get("status").asText()
                    + (j.path("queue_position").isNumber() ? " (queue position " + j.get("queue_position") + ")" : "")
                    + ": output " + j.get("output_uri").asText());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A job's status as JSON.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ID") long id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode j = ok(target.client().get("/v1/jobs/" + id));
            spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The service's jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--status", paramLabel = "STATUS") String status;

        @Option(names = "--label", paramLabel = "LABEL") String label;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder();
            if (status != null) {
                q.append("status=").append(java.net.URLEncoder.encode(status, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (label != null) {
                q.append(q.length() > 0 ? "&" : "").append("label=")
                        .append(java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8));
            }
            JsonNode jobs = ok(target.client().get("/v1/jobs" + (q.length() > 0 ? "?" + q : ""))).get("jobs");
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT, "%-6s %-14s %-11s %-7s %-11s %-9s %s", "ID", "KIND", "STATUS",
                    "ATTEMPT", "STEP", "LOSS", "DEVICE"));
            for (JsonNode j : jobs) {
                out.println(String.format(Locale.ROOT, "%-6d %-14s %-11s %-7d %-11s %-9s %s", j.get("id").asLong(),
                        j.get("kind").asText(), j.get("status").asText(), j.get("attempt").asInt(),
                        j.get("step").asLong() + "/" + j.get("total").asLong(),
                        j.has("loss") ? String.format(Locale.ROOT, "%.4f", j.get("loss").asDouble()) : "-",
                        j.path("device").asText("-")));
            }
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job (a running pretraining stops after its next checkpoint).")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ID") long id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return action(target, id, "cancel", spec);
        }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Queue a cancelled or failed job again (it resumes from its latest checkpoint).")
    static final class Requeue implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ID") long id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return action(target, id, "requeue", spec);
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "A job's log; -f follows it until the job ends, a pretraining's progress shown as a local"
                    + " 'detcon train' shows it, then the job's status (exit status 1 unless it SUCCEEDED).")
    static final class Logs implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ID") long id;

        @Option(names = {"-f", "--follow"}) boolean follow;

        @Option(names = "--from-line", defaultValue = "0", paramLabel = "N") long fromLine;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ServiceClient c = target.client();
            if (!follow) {
                ServiceClient.Response r = c.get("/v1/jobs/" + id + "/logs?from_line=" + fromLine);
                if (r.status() != 200) {
                    ok(r);
                }
                out.print(r.body());
                out.flush();
                return 0;
            }
            JsonNode job = ok(c.get("/v1/jobs/" + id));
            FollowView view = new FollowView(out, job.path("batch_size").asInt(0), () -> {
                try {
                    return ok(c.get("/v1/jobs/" + id)).path("total").asLong(0);
                } catch (IOException | RuntimeException e) {
                    return 0;
                }
            });
            Thread metrics = null;
            if (job.path("kind").asText().equals(JobKinds.PRETRAIN)) {
                // the pretraining's metrics.jsonl drives the status line, as a local run's steps do
                metrics = new Thread(() -> {
                    try {
                        c.follow(id, "metrics", 0, sink(view::metricsLine));
                    } catch (IOException e) {
                        // the log stream below says how the job ended
                    }
                }, "detcon-follow-metrics");
                metrics.setDaemon(true);
                metrics.start();
            }
            String[] end = {null};
            c.follow(id, fromLine, new ServiceClient.LogSink() {
                @Override
                public void line(long number, String text) {
                    view.logLine(text);
                }

                @Override
                public void status(String s) {
                    end[0] = s;
                }
            });
            if (metrics != null) {
                metrics.join(10_000); // its last lines (the job has ended, so its stream ends too)
            }
            String error = "FAILED".equals(end[0]) ? ok(c.get("/v1/jobs/" + id)).path("error").asText(null) : null;
            return view.end(id, end[0], error);
        }

        private static ServiceClient.LogSink sink(java.util.function.Consumer<String> lines) {
            return new ServiceClient.LogSink() {
                @Override
                public void line(long number, String text) {
                    lines.accept(text);
                }

                @Override
                public void status(String s) {
                    // the log stream reports the end
                }
            };
        }
    }
}
