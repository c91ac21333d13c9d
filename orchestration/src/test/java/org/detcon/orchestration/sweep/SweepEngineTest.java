package org.detcon.orchestration.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.detcon.cli.CliRunner;
import org.detcon.cli.DetconCli;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.core.store.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps end to end on tiny data (12 generated images of 32 px, masks on the direct runner, ResNet-18 at 32 px,
 * batch 4, a few steps, probes on 8 + 4 images): a 2x2-cell sweep in child JVMs then reused; a sweep killed with
 * kill -9 mid-pretraining and resumed; a failing cell that does not stop the other.
 */
class SweepEngineTest {

    @TempDir
    Path dir;

    static String sweep(String name, int steps, String grid, String extra) {
        return """
                name: %s
                base:
                  method: detcon_b
                  backbone: {depth: 18}
                  image_size: 32
                  batch_size: 4
                  steps: %d
                  heads: {hidden: 32, out: 16}
                  masks: {set: fh-s100, per_view: 4}
                  optimizer: {base_lr: 2.0, warmup_steps: 1}
                  ema: {base_tau: 0.99}
                  data: {shuffle_buffer: 8, threads: 1, prefetch: 1}
                  output: {checkpoint_every: 50, keep_checkpoints: 1}
                  torch_threads: 1
                grid: %s
                data: {synth: {images: 12, val_images: 4, size: 32}}
                masks: {sets: ["fh:100"], runner: direct, parallelism: 1}
                evals: [{probe: {input: 32, train: 8, val: 4}}]
                %s
                """.formatted(name, steps, grid, extra);
    }

    SweepPlan plan(String yaml, Path work) throws Exception {
        Path f = dir.resolve("sweep-" + Math.abs(yaml.hashCode()) + ".yaml");
        Files.writeString(f, yaml);
        return Planner.plan(SweepFileReader.read(f), work, List.of());
    }

    static PrintWriter tee(StringWriter buf) {
        return new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                buf.write(c, off, len);
                System.out.print(new String(c, off, len));
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
            }
        }, true);
    }

    @Test
    void twoByTwoSweepRunByTwoProcessesAtOnceThenEverythingIsReused() throws Exception {
        Path work = dir.resolve("w");
        SweepPlan plan = plan(sweep("two", 2, "{method: [detcon_b, byol]}", "seeds: [0, 1]\neval_at_steps: [0]"),
                work);
        // a second `sweep run` of the same sweep in the same working directory, at the same time
        Process other = sweepRun(plan, work, dir.resolve("other.log"));
        StringWriter log = new StringWriter();
        SweepRun.Result r;
        try (ChildProcessExecutor ex = new ChildProcessExecutor(2)) {
            r = SweepRun.run(plan, ex, 0, work.resolve("reports/two"), tee(log));
        }
        assertTrue(other.waitFor(10, TimeUnit.MINUTES), "the other sweep run finished");
        assertEquals(0, other.exitValue(), Files.readString(dir.resolve("other.log")));
        assertTrue(r.engine().ok(), r.engine().failures().toString());
        // data, masks, 4 pretrainings, 4 final evaluations and 2 of the initialisations (shared by both methods),
        // each run once by one of the two processes, the other reusing it
        assertTrue(log.toString().contains("the same weights as"), "step-0 evaluations shared: " + log);
        assertEquals(12, r.engine().ran() + r.engine().reused(), log.toString());
        try (RunStore store = RunStore.openIn(work)) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (RunStore.Run run : store.runs()) {
                for (RunStore.StepRecord st : store.steps(run.id())) {
                    if (st.status().equals("DONE")) {
                        assertTrue(keys.add(st.key()), "step run twice: " + st.label());
                    }
                }
            }
            assertEquals(12, keys.size(), "every step run exactly once across both processes");
            SweepResults res = SweepResults.read(plan, store);
            assertEquals(java.util.Map.of("done", 2 + 4 + 8), res.counts());
            for (SweepResults.CellResult c : res.cells()) {
                assertTrue(c.value("probe", "miou", 2).isPresent(), c.cell().label());
                assertEquals(2, c.loss().size());
            }
        }
        assertTrue(Files.readString(r.report().html()).contains("<svg"));
        List<String> csv = Files.readAllLines(r.report().csv());
        assertEquals(4 * 2 * 5 + 4 * 2, csv.size() - 1, "4 cells x 2 steps x 5 probe metrics + 2 losses per cell");

        StringWriter again = new StringWriter();
        SweepRun.Result second;
        try (ChildProcessExecutor ex = new ChildProcessExecutor(2)) {
            second = SweepRun.run(plan, ex, 0, work.resolve("reports/two"), tee(again));
        }
        assertEquals(0, second.engine().ran());
        assertEquals(12, second.engine().reused(), again.toString());
        assertEquals(Files.readString(r.report().csv()), Files.readString(second.report().csv()));

        CliRunner status = CliRunner.run("sweep", "status", plan.file().file().toString(), "--workdir",
                work.toString());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("steps: 14 done"), status.out());
        CliRunner runs = CliRunner.run("runs", "list", "--workdir", work.toString(), "--json");
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().contains("\"kind\" : \"sweep\"") && runs.out().contains("\"reused\" : 12"), runs.out());
    }

    /** {@code detcon sweep run} of the plan's file in another JVM, with 2-second leases. */
    static Process sweepRun(SweepPlan plan, Path work, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-Ddetcon.lease.seconds=" + LEASE, "-cp",
                System.getProperty("java.class.path"), DetconCli.class.getName(), "sweep", "run",
                plan.file().file().toString(), "--workdir", work.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    static final double LEASE = 2;

    @org.junit.jupiter.api.BeforeEach
    void shortLeases() {
        System.setProperty("detcon.lease.seconds", Double.toString(LEASE));
    }

    @org.junit.jupiter.api.AfterEach
    void defaultLeases() {
        System.clearProperty("detcon.lease.seconds");
    }

    @Test
    void aSweepKilledMidPretrainingResumesWithoutRerunningFinishedSteps() throws Exception {
        Path work = dir.resolve("k");
        String yaml = sweep("kill", 6, "{method: [detcon_b]}", "seeds: [0]").replace("checkpoint_every: 50",
                "checkpoint_every: 2");
        SweepPlan plan = plan(yaml, work);
        Process p = sweepRun(plan, work, dir.resolve("killed.log"));
        Path pretrain = work.resolve(plan.pretrain().get(0).dir());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (latestStep(pretrain) < 2) {
            assertTrue(p.isAlive(), "sweep ended early: " + Files.readString(dir.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "sweep too slow: " + Files.readString(dir.resolve("killed.log")));
            Thread.sleep(100);
        }
        List<ProcessHandle> children = p.descendants().toList();
        assertFalse(children.isEmpty(), "the pretraining runs in a child JVM");
        p.destroyForcibly(); // SIGKILL: no shutdown hook; the child must notice by itself
        p.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle c : children) {
            c.onExit().get(30, TimeUnit.SECONDS);
        }
        long killedAt = latestStep(pretrain);
        assertTrue(killedAt < 6, "killed before the end: " + killedAt);

        StringWriter log = new StringWriter();
        SweepEngine.Outcome o = SweepEngine.run(plan, new InProcessExecutor(), 0, tee(log));
        assertTrue(o.ok(), o.failures().toString());
        assertTrue(log.toString().contains("reused data") && log.toString().contains("reused masks"), log.toString());
        try (RunStore store = RunStore.openIn(work)) {
            List<RunStore.Run> runs = store.runs();
            assertEquals("INTERRUPTED", runs.get(0).status());
            RunStore.StepRecord resumed = store.history(plan.pretrain().get(0).key()).stream()
                    .filter(s -> s.status().equals("DONE")).findFirst().orElseThrow();
            assertEquals(2, resumed.attempt());
            assertEquals(6 - killedAt, resumed.metrics().get("steps_run"), "continued from the newest checkpoint");
        }
        List<String> metrics = Files.readAllLines(pretrain.resolve("metrics.jsonl"));
        for (int i = 0; i < 6; i++) {
            assertTrue(metrics.get(i).startsWith("{\"step\":" + i + ","), metrics.toString());
        }
        assertEquals(6, metrics.size());
    }

    static long latestStep(Path run) throws Exception {
        if (!Files.exists(run.resolve(Checkpoints.LATEST))) {
            return -1;
        }
        LocalObjectStore s = new LocalObjectStore(run);
        Optional<String> l = Checkpoints.latest(s);
        return l.isPresent() && Files.exists(run.resolve(l.get()).resolve(Checkpoints.STATE))
                ? Checkpoints.readState(s, l.get()).step() : -1;
    }

    @Test
    void aFailingCellIsRecordedAndDoesNotStopTheOthers() throws Exception {
        Path work = dir.resolve("f");
        // base_lr 1e30: step 0 has LR 0 (warmup), step 1 blows the weights up: the loss is not finite at step 2
        String yaml = sweep("fail", 3, "{optimizer.base_lr: [2.0, 1.0e30]}", "retries: 0");
        Path f = dir.resolve("fail.yaml");
        Files.writeString(f, yaml);
        CliRunner r = CliRunner.run("sweep", "run", f.toString(), "--workdir", work.toString(), "--in-process");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED cell optimizer.base_lr=1.0E30 seed=0")
                && r.out().contains("pretrain failed: training diverged at step"), r.out());
        assertFalse(r.out().contains("FAILED cell optimizer.base_lr=2.0"), r.out());
        SweepPlan plan = plan(yaml, work);
        try (RunStore store = RunStore.openIn(work)) {
            SweepResults res = SweepResults.read(plan, store);
            assertTrue(res.cells().get(0).value("probe", "miou", 3).isPresent(), "the other cell finished");
            assertEquals("failed", res.cells().get(1).pretrain().status());
            assertTrue(res.cells().get(1).pretrain().error().contains("diverged"));
        }
        String md = Files.readString(work.resolve("reports/fail/report.md"));
        assertTrue(md.contains("pretraining failed"), md);
        assertFalse(Files.exists(work.resolve("logs")), "in process: no child JVMs, no logs");
    }
}
