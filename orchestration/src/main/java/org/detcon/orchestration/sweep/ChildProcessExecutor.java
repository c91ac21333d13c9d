package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.detcon.orchestration.runs.Step;
import org.detcon.trainer.run.ProgressLine;

/**
 * Runs each step in its own JVM ({@code detcon sweep exec SPEC RESULT}, the same class path and heap settings as
 * this one), so parallel steps each have their own PyTorch thread pool and a native crash takes down one step, not
 * the sweep. The child's output goes to {@code WORKDIR/logs/KIND-KEY16.log}; lines {@code @progress JSON} and
 * {@code @note TEXT} are events for the engine; the result comes back in a JSON file. A child exits when this
 * process dies (it watches its standard input for end of file), and is killed when this JVM shuts down (Ctrl-C).
 */
public final class ChildProcessExecutor implements StepExecutor {

    static final String NOTE = "@note ";
    /** Set in a child's environment: exit when the parent's pipe closes. */
    public static final String PARENT_WATCH = "DETCON_PARENT_WATCH";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int parallelism;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Thread killer;

    public ChildProcessExecutor(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("--max-parallel must be >= 1");
        }
        this.parallelism = parallelism;
        this.killer = new Thread(this::killAll, "detcon-sweep-children");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public Step.Outcome execute(PlannedStep step, Path workdir, int torchThreads, StepEvents events)
            throws Exception {
        Path work = workdir.toAbsolutePath();
        Path exec = work.resolve(".detcon/exec");
        Files.createDirectories(exec);
        String id = step.kind().label() + "-" + step.key().substring(0, 16);
        Path spec = exec.resolve(id + ".json");
        Path result = exec.resolve(id + ".result.json");
        Files.deleteIfExists(result);
        ObjectNode s = JSON.createObjectNode();
        s.set("step", SweepEngine.withThreads(step, torchThreads).toJson());
        s.put("workdir", work.toString());
        Files.write(spec, JSON.writeValueAsBytes(s));
        Path log = work.resolve("logs").resolve(id + ".log");
        Files.createDirectories(log.getParent());

        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Dai.djl.pytorch.num_")) {
                cmd.add(a);
            }
        }
        cmd.add("-Dai.djl.pytorch.num_threads=" + torchThreads);
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.detcon.cli.DetconCli");
        cmd.addAll(List.of("sweep", "exec", spec.toString(), result.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(PARENT_WATCH, "1");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        running.put(step.key(), p);
        String lastError = null;
        String lastLine = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            w.println("== " + Instant.now() + " " + step.name() + " " + step.key());
            String line;
            while ((line = r.readLine()) != null) {
                Optional<ProgressLine> progress = ProgressLine.parse(line);
                if (progress.isPresent()) {
                    ProgressLine e = progress.get();
                    events.progress(e.done(), e.total(), e.loss(), e.imgPerSec());
                    continue;
                }
                if (line.startsWith(NOTE)) {
                    events.note(line.substring(NOTE.length()));
                }
                w.println(line);
                if (!line.isBlank()) {
                    lastLine = line;
                }
                if (line.startsWith("detcon: ")) {
                    lastError = line.substring("detcon: ".length());
                }
            }
            int code = p.waitFor();
            if (code != 0 || !Files.isRegularFile(result)) {
                String why = lastError != null ? lastError : lastLine != null ? lastLine : "exit status " + code;
                throw new StepFailedException(why + " (log: " + log + ")");
            }
        } finally {
            running.remove(step.key(), p);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        JsonNode o = JSON.readTree(result.toFile());
        Map<String, String> outputs = new LinkedHashMap<>();
        o.get("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        o.get("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        Files.deleteIfExists(spec);
        Files.deleteIfExists(result);
        return new Step.Outcome(outputs, metrics);
    }

    /** A child's failure, as its one-line reason. */
    public static final class StepFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailedException(String message) {
            super(message);
        }
    }

    @Override
    public void cancel(String key) {
        Process p = running.get(key);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void killAll() {
        for (Process p : running.values()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs
        }
    }

    /** What a child runs: the step's work, with events on standard output and the outcome in {@code result}. */
    public static void runChild(Path specFile, Path resultFile) throws Exception {
        JsonNode s = JSON.readTree(specFile.toFile());
        PlannedStep step = PlannedStep.fromJson(s.get("step"));
        Path workdir = Path.of(s.get("workdir").asText());
        StepEvents events = new StepEvents() {
            @Override
            public void progress(long done, long total, double loss, double imgPerSec) {
                new ProgressLine(done, total, loss, imgPerSec).print();
            }

            @Override
            public void note(String line) {
                System.out.println(NOTE + line);
                System.out.flush();
            }
        };
        Step.Outcome o = StepWork.run(step, workdir, events::note, StepEvents.listener(events));
        ObjectNode r = JSON.createObjectNode();
        ObjectNode outs = r.putObject("outputs");
        o.outputs().forEach(outs::put);
        ObjectNode m = r.putObject("metrics");
        o.metrics().forEach(m::put);
        Path tmp = resultFile.resolveSibling(resultFile.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(r));
        Files.move(tmp, resultFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
