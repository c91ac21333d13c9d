package org.detcon.orchestration.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.detcon.core.hash.ContentHash;

/**
 * Runs steps within one run of the {@link RunStore}: a step whose key (name + input hashes) has a DONE execution
 * whose outputs still exist and hash to what was recorded is <b>reused</b> (printed, recorded as REUSED, not run);
 * otherwise it runs as a new attempt (attempt = previous attempts of the key + 1), recorded RUNNING then DONE or
 * FAILED. A process killed mid-step leaves the row RUNNING; the next run marks it INTERRUPTED and runs the step
 * again (attempt + 1), which is where a resumable step continues from its checkpoints.
 */
public final class StepRunner {

    private final RunStore store;
    private final long runId;
    private final PrintStream log;

    /** What a step gave: its outputs, metrics and whether it was reused. */
    public record Result(Map<String, Path> outputs, Map<String, String> outputHashes, Map<String, Double> metrics,
            boolean reused) {
        public Path output(String name) {
            Path p = outputs.get(name);
            if (p == null) {
                throw new IllegalStateException("no output " + name);
            }
            return p;
        }

        public String hash(String name) {
            return outputHashes.get(name);
        }
    }

    public StepRunner(RunStore store, long runId, PrintStream log) {
        this.store = store;
        this.runId = runId;
        this.log = log;
    }

    public long runId() {
        return runId;
    }

    public static String key(String name, Map<String, String> inputs) {
        return ContentHash.sha256Hex(name + "\n" + RunStore.json(new TreeMap<>(inputs)));
    }

    public Result run(Step step) throws Exception {
        String key = key(step.name(), step.inputs());
        var done = store.lastDone(key);
        if (done.isPresent()) {
            RunStore.StepRecord d = done.get();
            Map<String, Path> outs = new TreeMap<>();
            boolean ok = true;
            for (var e : d.outputs().entrySet()) {
                Path p = Path.of(e.getValue());
                String want = d.outputHashes().get(e.getKey());
                if (!Files.exists(p) || want == null || !want.equals(TreeHash.of(p))) {
                    ok = false;
                    log.println("  " + step.name() + ": recorded output " + e.getKey() + " (" + p
                            + ") is missing or changed; running again");
                    break;
                }
                outs.put(e.getKey(), p);
            }
            if (ok) {
                store.recordReuse(runId, d);
                log.println("  reused " + step.name() + " (run " + d.runId() + ", step " + d.id() + ")");
                return new Result(outs, d.outputHashes(), d.metrics(), true);
            }
        }
        int attempt = store.attempts(key) + 1;
        long id = store.startStep(runId, step.name(), key, step.inputs(), attempt);
        try {
            Step.Outcome o = step.execute();
            Map<String, String> uris = new TreeMap<>();
            Map<String, String> hashes = new TreeMap<>();
            for (var e : o.outputs().entrySet()) {
                Path abs = e.getValue().toAbsolutePath().normalize();
                uris.put(e.getKey(), abs.toString());
                hashes.put(e.getKey(), TreeHash.of(abs));
            }
            store.finishStep(id, "DONE", uris, hashes, o.metrics(), null);
            Map<String, Path> outs = new TreeMap<>();
            uris.forEach((k, v) -> outs.put(k, Path.of(v)));
            return new Result(outs, hashes, o.metrics(), false);
        } catch (Exception | Error e) {
            store.finishStep(id, "FAILED", Map.of(), Map.of(), Map.of(), String.valueOf(e));
            throw e;
        }
    }

    /** Content hash of a file, or of a directory tree (sorted relative paths and file hashes). */
    public static final class TreeHash {
        private TreeHash() {
        }

        public static String of(Path p) throws IOException {
            if (Files.isRegularFile(p)) {
                return ContentHash.sha256Hex(p);
            }
            if (!Files.isDirectory(p)) {
                throw new IOException("no such output " + p);
            }
            StringBuilder sb = new StringBuilder();
            try (var s = Files.walk(p)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                    sb.append(p.relativize(f).toString().replace('\\', '/')).append('\t')
                            .append(ContentHash.sha256Hex(f)).append('\n');
                }
            }
            return ContentHash.sha256Hex(sb.toString());
        }
    }
}
