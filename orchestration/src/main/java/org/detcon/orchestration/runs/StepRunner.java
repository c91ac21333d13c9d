package org.detcon.orchestration.runs;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.ObjectTrees;

/**
 * Runs steps within one run of the {@link RunStore}: a step whose key (name + input hashes) has a DONE execution
 * whose outputs still exist and hash to what was recorded is <b>reused</b> (printed, recorded as REUSED, not run);
 * otherwise it runs as a new attempt (attempt = previous attempts of the key + 1), recorded RUNNING then DONE or
 * FAILED. A process killed mid-step leaves the row RUNNING; when its lease expires the next process marks it
 * INTERRUPTED and runs the step again (attempt + 1), which is where a resumable step continues from its
 * checkpoints.
 *
 * <p>An attempt holds the step's lease in the store ({@link RunStore#tryClaim}) from its start to its end, so no two
 * processes run the same step at once: a second one waits, then reuses the first one's result, or takes the step
 * over when the first one died. Outputs inside the working directory are recorded relative to it, so a moved
 * working directory keeps its steps; outputs in an object store ({@code s3://}) by their URI, hashed and re-checked
 * through the store. {@link #run} does all of it for one step; {@link #reuse}, {@link #tryBegin},
 * {@link #finish} and {@link #fail} are the same in parts, for callers that execute steps elsewhere (a sweep's
 * child processes).
 */
public final class StepRunner {

    private final RunStore store;
    private final long runId;
    private final Path base;
    private final PrintWriter log;
    private final Map<Long, String> keys = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per key, the newest DONE record {@link #reuse} saw (0: none). */
    private final Map<String, Long> checked = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What a step gave: its outputs (name → absolute path or object store URI), their hashes, its metrics, whether
     * it was reused.
     */
    public record Result(Map<String, String> outputs, Map<String, String> outputHashes, Map<String, Double> metrics,
            boolean reused) {
        public String output(String name) {
            String p = outputs.get(name);
            if (p == null) {
                throw new IllegalStateException("no output " + name);
            }
            return p;
        }

        public String hash(String name) {
            return outputHashes.get(name);
        }
    }

    /** Steps of run {@code runId}; outputs under {@code base} (the working directory) are recorded relative to it. */
    public StepRunner(RunStore store, long runId, Path base, PrintWriter log) {
        this.store = store;
        this.runId = runId;
        this.base = base.toAbsolutePath().normalize();
        this.log = log;
    }

    public long runId() {
        return runId;
    }

    public static String key(String name, Map<String, String> inputs) {
        return ContentHash.sha256Hex(name + "\n" + RunStore.json(new TreeMap<>(inputs)));
    }

    /** A recorded output as an absolute path or URI: relative paths are under the working directory. */
    public String resolve(String recorded) {
        return resolve(base, recorded);
    }

    /** A recorded output as an absolute path or URI: relative paths are under {@code workdir}. */
    public static String resolve(Path workdir, String recorded) {
        return OutputLocation.isLocal(recorded) ? workdir.toAbsolutePath().resolve(recorded).normalize().toString()
                : recorded;
    }

    private String record(String uri) {
        if (!OutputLocation.isLocal(uri)) {
            return uri;
        }
        Path abs = Path.of(uri).toAbsolutePath().normalize();
        return abs.startsWith(base) ? base.relativize(abs).toString().replace('\\', '/') : abs.toString();
    }

    /** The step's newest DONE result if its outputs still verify (then recorded as REUSED in this run). */
    public Optional<Result> reuse(Step step) throws IOException {
        String key = key(step.name(), step.inputs());
        Optional<RunStore.StepRecord> done = store.lastDone(key);
        checked.put(key, done.map(RunStore.StepRecord::id).orElse(0L));
        if (done.isEmpty()) {
            return Optional.empty();
        }
        RunStore.StepRecord d = done.get();
        Map<String, String> outs = new TreeMap<>();
        for (var e : d.outputs().entrySet()) {
            String p = resolve(e.getValue());
            String want = d.outputHashes().get(e.getKey());
            if (want == null || !want.equals(TreeHash.ifExists(p))) {
                log.println("  " + step.label() + ": recorded output " + e.getKey() + " (" + p
                        + ") is missing or changed; running again");
                return Optional.empty();
            }
            outs.put(e.getKey(), p);
        }
        store.recordReuse(runId, step.label(), d);
        return Optional.of(new Result(outs, d.outputHashes(), d.metrics(), true));
    }

    /**
     * Claims the step's lease and records the start of a new attempt; returns the record's id. Empty when another
     * live process holds the lease, or when a peer finished the step since {@link #reuse} looked (then it has it).
     */
    public Optional<Long> tryBegin(Step step) {
        return tryBegin(step, false);
    }

    private Optional<Long> tryBegin(Step step, boolean evenIfDone) {
        String key = key(step.name(), step.inputs());
        if (!store.tryClaim(key)) {
            return Optional.empty();
        }
        if (!evenIfDone && finishedSinceChecked(key)) {
            store.release(key);
            return Optional.empty();
        }
        long id = store.startStep(runId, step.name(), step.label(), key, step.inputs(), store.attempts(key) + 1);
        keys.put(id, key);
        return Optional.of(id);
    }

    /**
     * Records the start of a new attempt, waiting while another process holds the step's lease; returns the
     * record's id, or empty when the other process finished the step meanwhile.
     */
    public Optional<Long> begin(Step step) throws InterruptedException {
        return begin(step, false);
    }

    /** Like {@link #begin(Step)} for a command that runs its step every time ({@code detcon train --workdir}). */
    public long beginAgain(Step step) throws InterruptedException {
        return begin(step, true).orElseThrow();
    }

    private Optional<Long> begin(Step step, boolean evenIfDone) throws InterruptedException {
        String key = key(step.name(), step.inputs());
        boolean told = false;
        while (true) {
            Optional<Long> id = tryBegin(step, evenIfDone);
            if (id.isPresent() || (!evenIfDone && finishedSinceChecked(key))) {
                return id;
            }
            Optional<RunStore.Lease> l = store.lease(key);
            if (!told && l.isPresent()) {
                log.printf(java.util.Locale.ROOT, "  %s is running in another process (%s; lease %.0f s left):"
                        + " waiting%n", step.label(), l.get().owner(), l.get().secondsLeft());
                log.flush();
                told = true;
            }
            Thread.sleep((long) Math.max(100, Math.min(2000, store.leaseLength() * 250)));
        }
    }

    /** Records attempt {@code id} as DONE with its outputs (hashed now) and metrics, and gives its lease up. */
    public Result finish(long id, Step.Outcome o) throws IOException {
        Map<String, String> uris = new TreeMap<>();
        Map<String, String> hashes = new TreeMap<>();
        Map<String, String> outs = new TreeMap<>();
        for (var e : o.outputs().entrySet()) {
            String abs = OutputLocation.isLocal(e.getValue()) ? Path.of(e.getValue()).toAbsolutePath().normalize()
                    .toString() : e.getValue();
            uris.put(e.getKey(), record(abs));
            hashes.put(e.getKey(), TreeHash.of(abs));
            outs.put(e.getKey(), abs);
        }
        store.finishStep(id, "DONE", uris, hashes, o.metrics(), null);
        release(id);
        return new Result(outs, hashes, o.metrics(), false);
    }

    /** Records attempt {@code id} as FAILED with a one-line reason, and gives its lease up. */
    public void fail(long id, String reason) {
        store.finishStep(id, "FAILED", Map.of(), Map.of(), Map.of(), reason);
        release(id);
    }

    /** Records where attempt {@code id} runs ({@code URL job ID} for a trainer service's job). */
    public void placed(long id, String where) {
        store.place(id, where);
    }

    /** Records attempt {@code id} as INTERRUPTED (lost with the machine that ran it) and gives its lease up. */
    public void lost(long id, String reason) {
        store.finishStep(id, "INTERRUPTED", Map.of(), Map.of(), Map.of(), reason);
        release(id);
    }

    /** Records attempt {@code id} as INTERRUPTED (its lease went to another process). */
    public void interrupted(long id, String reason) {
        store.finishStep(id, "INTERRUPTED", Map.of(), Map.of(), Map.of(), reason);
        keys.remove(id);
    }

    /** Whether a DONE execution of {@code key} appeared after {@link #reuse} last looked (a peer finished it). */
    private boolean finishedSinceChecked(String key) {
        long seen = checked.getOrDefault(key, 0L);
        return store.lastDone(key).map(d -> d.id() > seen).orElse(false);
    }

    private void release(long id) {
        String key = keys.remove(id);
        if (key != null) {
            store.release(key);
        }
    }

    /** Reuses {@code step} or runs it here (after any other process running it finished or died). */
    public Result run(Step step) throws Exception {
        Optional<Result> r = reuse(step);
        Optional<Long> started = Optional.empty();
        while (r.isEmpty() && started.isEmpty()) {
            started = begin(step);
            if (started.isEmpty()) {
                r = reuse(step);
            }
        }
        if (r.isPresent()) {
            log.println("  reused " + step.label());
            return r.get();
        }
        long id = started.get();
        try {
            return finish(id, step.execute());
        } catch (Exception | Error e) {
            fail(id, String.valueOf(e));
            throw e;
        }
    }

    /**
     * Content hash of a file or object, or of a directory tree or object store prefix (sorted relative paths and
     * their content hashes, {@link ObjectTrees#hash}): the same bytes hash alike locally and on {@code s3://}.
     */
    public static final class TreeHash {
        private TreeHash() {
        }

        /** The hash of the output at {@code uri} (a local path or an object store URI). */
        public static String of(String uri) throws IOException {
            String h = ifExists(uri);
            if (h == null) {
                throw new IOException("no such output " + uri);
            }
            return h;
        }

        /** As {@link #of(String)}, null when there is nothing at {@code uri}. */
        static String ifExists(String uri) throws IOException {
            if (OutputLocation.isLocal(uri)) {
                Path p = Path.of(uri);
                return Files.exists(p) ? of(p) : null;
            }
            try (ObjectStore tree = ObjectStores.open(uri)) {
                List<String> keys = tree.list("");
                if (!keys.isEmpty()) {
                    return ObjectTrees.hash(tree, keys);
                }
            }
            int slash = uri.replaceAll("/+$", "").lastIndexOf('/');
            try (ObjectStore parent = ObjectStores.open(uri.substring(0, slash))) {
                String name = uri.substring(slash + 1);
                if (!parent.exists(name)) {
                    return null;
                }
                try (InputStream in = parent.openRead(name)) {
                    return ContentHash.sha256Hex(in);
                }
            }
        }

        public static String of(Path p) throws IOException {
            if (Files.isRegularFile(p)) {
                return ContentHash.sha256Hex(p);
            }
            if (!Files.isDirectory(p)) {
                throw new IOException("no such output " + p);
            }
            try (ObjectStore tree = new LocalObjectStore(p)) {
                return ObjectTrees.hash(tree, tree.list(""));
            }
        }
    }
}
