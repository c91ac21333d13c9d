package org.detcon.orchestration.nightly;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.sweep.Planner;
import org.detcon.orchestration.sweep.StepExecutor;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepResults;
import org.detcon.orchestration.sweep.SweepRun;

/**
 * The nightly reproducibility run: a pinned sweep run in a fresh working directory ({@code OUT/work}) and compared
 * with a blessed {@link Baseline} ({@link DriftCheck}), the result in {@code OUT/drift.md} and {@code drift.json}
 * and what was measured in {@code OUT/observation.json}. {@link #check} compares an existing run again;
 * {@link #bless} makes a run the new baseline.
 */
public final class Nightly {

    public static final String OBSERVATION = "observation.json";

    private Nightly() {
    }

    /**
     * Runs the sweep into {@code out} (which must be new or empty) and compares; returns the drift. {@code outputs}:
     * an object store prefix for the step outputs ({@code --outputs}; it must hold nothing yet, as a nightly run
     * starts fresh), or null for {@code OUT/work/steps/}.
     */
    public static Drift run(Path sweepFile, Path baselineFile, Path out, String outputs, StepExecutor executor,
            String codeVersion, PrintWriter log) throws Exception {
        Path dir = out.toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty: a nightly run starts in a"
                            + " fresh working directory");
                }
            }
        }
        if (outputs != null) {
            try (ObjectStore store = ObjectStores.open(outputs)) {
                if (!store.list("").isEmpty()) {
                    throw new IllegalArgumentException("--outputs " + outputs + " is not empty: a nightly run starts"
                            + " fresh (give a new prefix, e.g. with the date)");
                }
            }
        }
        Files.createDirectories(dir);
        Path work = dir.resolve("work");
        SweepPlan plan = Planner.plan(SweepFileReader.read(sweepFile), work, outputs,
                List.<ConfigOverrides.Override>of());
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / executor.parallelism());
        int cellThreads = plan.cells().get(0).train().torchThreads();
        Fingerprint fp = Fingerprint.current(executor.parallelism(), cellThreads > 0 ? cellThreads : threads);
        Instant started = Instant.now();
        log.println("nightly " + plan.file().name() + ": " + sweepFile + " in " + work);
        SweepRun.Result r = SweepRun.run(plan, executor, plan.file().retries(), dir.resolve("report"), log);
        SweepResults results;
        try (RunStore store = RunStore.openIn(work)) {
            results = SweepResults.read(plan, store);
        }
        Observation o = Observer.observe(plan, results, r.engine(), fp, codeVersion, started, r.report().html());
        o.write(dir.resolve(OBSERVATION));
        return check(dir, baselineFile, log);
    }

    /** Compares the run in {@code dir} with the baseline; writes drift.md and drift.json there. */
    public static Drift check(Path dir, Path baselineFile, PrintWriter log) throws IOException {
        Observation o = Observation.read(dir.resolve(OBSERVATION));
        Baseline b = Baseline.read(baselineFile);
        Drift d = DriftCheck.compare(b, o);
        DriftReport.write(dir, d, b, baselineFile, o);
        log.printf("nightly %s: %s (%s)%s%n", o.sweep(), d.status(), d.exact() ? "exact: same platform as the baseline"
                : "within bands: the platform differs in " + d.fingerprintDifferences().keySet(),
                d.firstDriftedStage() == null ? "" : "; first drifted step: " + d.firstDriftedStage());
        d.checks().stream().filter(c -> c.result().equals("DRIFT") || c.result().equals("ERROR")).limit(10)
                .forEach(c -> log.printf("  %s %s %s %s: baseline %s, now %s%s%n", c.result(), c.stage(), c.cell(),
                        c.metric(), c.baseline(), c.current(), c.firstStep() == null ? ""
                                : " (first at step " + c.firstStep() + ")"));
        log.println("report: " + dir.resolve("drift.md"));
        log.flush();
        return d;
    }

    /**
     * Makes the run in {@code dir} the baseline at {@code baselineFile}, keeping the bands and the sha256 of the
     * baseline it replaces; returns the new baseline.
     */
    public static Baseline bless(Path dir, Path baselineFile, String reason) throws IOException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("--reason is required: say why this run becomes the baseline");
        }
        Observation o = Observation.read(dir.resolve(OBSERVATION));
        if (!o.failures().isEmpty()) {
            throw new IllegalArgumentException(dir + " has failed cells (" + o.failures().get(0) + "): a failed run"
                    + " cannot be a baseline");
        }
        Bands bands = Bands.defaults();
        String previous = null;
        if (Files.isRegularFile(baselineFile)) {
            bands = Baseline.read(baselineFile).bands();
            previous = Baseline.sha256(baselineFile);
        }
        Baseline b = new Baseline(Baseline.FORMAT, o, bands, previous, reason, Instant.now().toString());
        b.write(baselineFile);
        return b;
    }
}
