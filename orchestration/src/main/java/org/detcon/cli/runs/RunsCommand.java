package org.detcon.cli.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.runs.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code detcon runs}: what the run store recorded. */
@Command(name = "runs",
        mixinStandardHelpOptions = true,
        description = "Read the run store (WORKDIR/.detcon/runs.mv.db).",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class})
public final class RunsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static RunStore open(Path workdir, String store) {
        if (store == null && !RunStore.existsIn(workdir)) {
            throw new UsageException("no run store in " + workdir.toAbsolutePath() + " (nothing has run there yet)");
        }
        try {
            return RunStore.open(workdir, store);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per run.")
    static final class ListRuns implements Callable<Integer> {
        @Option(names = "--workdir", defaultValue = ".", paramLabel = "DIR", description = "Working directory (default: current).")
        Path workdir;

        @Option(names = "--store", paramLabel = "JDBC_URL", description = "A shared run store instead of the"
                + " working directory's (jdbc:postgresql://...).")
        String store;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (RunStore s = open(workdir, store)) {
                if (json) {
                    ArrayNode a = JSON.createArrayNode();
                    for (RunStore.Run r : s.runs()) {
                        ObjectNode o = run(r);
                        List<RunStore.StepRecord> st = s.steps(r.id());
                        ObjectNode counts = o.putObject("steps");
                        for (String status : List.of("DONE", "REUSED", "FAILED", "INTERRUPTED", "RUNNING")) {
                            counts.put(status.toLowerCase(java.util.Locale.ROOT), count(st, status));
                        }
                        a.add(o);
                    }
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a));
                    return 0;
                }
                out.printf("%-5s %-12s %-12s %-19s %9s  %s%n", "ID", "KIND", "STATUS", "STARTED (UTC)", "SECONDS",
                        "STEPS (done/reused/failed/interrupted)");
                for (RunStore.Run r : s.runs()) {
                    List<RunStore.StepRecord> st = s.steps(r.id());
                    double secs = r.finished() == null ? Double.NaN
                            : (r.finished().toEpochMilli() - r.started().toEpochMilli()) / 1000.0;
                    out.printf("%-5d %-12s %-12s %-19s %9s  %d/%d/%d/%d%n", r.id(), r.kind(), r.status(),
                            time(r.started()), Double.isNaN(secs) ? "-" : String.format("%.1f", secs),
                            count(st, "DONE"), count(st, "REUSED"), count(st, "FAILED"), count(st, "INTERRUPTED"));
                }
            }
            return 0;
        }
    }

    static long count(List<RunStore.StepRecord> st, String status) {
        return st.stream().filter(x -> x.status().equals(status)).count();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A run's steps: status, attempt, time, outputs, metrics.")
    static final class ShowRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "Run id (from runs list).")
        long id;

        @Option(names = "--workdir", defaultValue = ".", paramLabel = "DIR", description = "Working directory (default: current).")
        Path workdir;

        @Option(names = "--store", paramLabel = "JDBC_URL", description = "A shared run store instead of the"
                + " working directory's (jdbc:postgresql://...).")
        String store;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (RunStore s = open(workdir, store)) {
                RunStore.Run r = s.run(id).orElseThrow(() -> new UsageException("no run " + id));
                if (json) {
                    ObjectNode o = run(r);
                    ArrayNode steps = o.putArray("steps");
                    for (RunStore.StepRecord st : s.steps(id)) {
                        ObjectNode so = steps.addObject();
                        so.put("id", st.id()).put("name", st.name()).put("label", st.label()).put("key", st.key())
                                .put("status", st.status()).put("attempt", st.attempt())
                                .put("started", String.valueOf(st.started())).put("finished",
                                        String.valueOf(st.finished()));
                        if (!Double.isNaN(st.seconds())) {
                            so.put("seconds", st.seconds());
                        }
                        so.set("inputs", JSON.valueToTree(st.inputs()));
                        so.set("outputs", JSON.valueToTree(st.outputs()));
                        so.set("output_hashes", JSON.valueToTree(st.outputHashes()));
                        so.set("metrics", JSON.valueToTree(st.metrics()));
                        if (st.error() != null) {
                            so.put("error", st.error());
                        }
                        if (st.placed() != null) {
                            so.put("placed", st.placed());
                        }
                    }
                    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
                    return 0;
                }
                out.printf("run %d  %s  %s  started %s  finished %s  config %s%n", r.id(), r.kind(), r.status(),
                        time(r.started()), time(r.finished()), r.configHash());
                if (r.note() != null && !r.note().isBlank()) {
                    out.println("  " + r.note());
                }
                for (RunStore.StepRecord st : s.steps(id)) {
                    out.printf("  %-40s %-11s attempt %d  %s s%n", st.label() != null ? st.label() : st.name(),
                            st.status(), st.attempt(),
                            Double.isNaN(st.seconds()) ? "-" : String.format("%.1f", st.seconds()));
                    out.printf("      key %s%n", st.key().substring(0, 16));
                    if (st.placed() != null) {
                        out.printf("      on  %s%n", st.placed());
                    }
                    for (Map.Entry<String, String> e : st.inputs().entrySet()) {
                        out.printf("      in  %-14s %s%n", e.getKey(), abbreviate(e.getValue()));
                    }
                    for (Map.Entry<String, String> e : st.outputs().entrySet()) {
                        out.printf("      out %-14s %s  (%s)%n", e.getKey(), e.getValue(),
                                abbreviate(st.outputHashes().getOrDefault(e.getKey(), "")));
                    }
                    if (!st.metrics().isEmpty()) {
                        out.printf("      metrics %s%n", st.metrics());
                    }
                    if (st.error() != null) {
                        out.printf("      error %s%n", st.error());
                    }
                }
            }
            return 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode run(RunStore.Run r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id()).put("kind", r.kind()).put("config_hash", r.configHash()).put("status", r.status())
                .put("started", String.valueOf(r.started())).put("finished", String.valueOf(r.finished()))
                .put("note", r.note());
        return o;
    }

    static String abbreviate(String h) {
        return h.length() > 16 ? h.substring(0, 16) : h;
    }
}
