package org.detcon.orchestration.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.detcon.cli.CliRunner;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.service.ServiceOptions;
import org.detcon.service.TrainerService;
import org.detcon.service.security.Tokens;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingRun;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detcon sweep run --service}: a one-cell sweep (the tiny data, masks and DetCon-B of {@link SweepEngineTest},
 * 4 steps, probes of the initialisation and of the final backbone) dispatched to two trainer services on loopback
 * (two CPU slots each, the same token: the two probes run at once). The service running the pretraining goes away
 * after its checkpoint of step 2: the step is lost there and continues on the other service from that checkpoint.
 * The losses are those of the same pretraining run uninterrupted in this JVM, the probe metrics those of the same
 * backbones probed in this JVM, and the run store says where each step ran.
 */
class SweepServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void shortLeases() {
        System.setProperty("detcon.lease.seconds", "2");
    }

    @AfterEach
    void defaultLeases() {
        System.clearProperty("detcon.lease.seconds");
    }

    private TrainerService service(String name, String token) throws Exception {
        Path state = dir.resolve(name);
        Files.createDirectories(state);
        Files.writeString(state.resolve(Tokens.FILE), token + "\n");
        return TrainerService.start(ServiceOptions.defaults(state).withPort(0).withSlots(2));
    }

    @Test
    void aSweepOnTwoServicesSurvivesOneGoingAwayWithTheLossesOfAnInProcessRun() throws Exception {
        String yaml = SweepEngineTest.sweep("svc", 4, "{method: [detcon_b]}", "seeds: [0]\neval_at_steps: [0]")
                .replace("checkpoint_every: 50", "checkpoint_every: 2");
        Path file = dir.resolve("svc.yaml");
        Files.writeString(file, yaml);
        Path work = dir.resolve("remote");
        SweepPlan plan = Planner.plan(SweepFileReader.read(file), work, List.of());

        // refused without the shared-filesystem opt-in: the services must reach the working directory
        CliRunner refused = CliRunner.run("sweep", "run", file.toString(), "--workdir", work.toString(),
                "--service", "http://127.0.0.1:9");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.err().contains("--service-shared-fs") && refused.err().strip().lines().count() == 1,
                refused.err());

        String token = "0123456789abcdef0123456789abcdef-sweep-test";
        TrainerService a = service("a", token);
        TrainerService b = service("b", token);
        String urlA = a.url();
        StringWriter log = new StringWriter();
        SweepEngine.Outcome o;
        CompletableFuture<List<Double>> reference = null;
        try {
            ServiceExecutor ex = ServiceExecutor.connect(List.of(urlA, b.url()), token, 2);
            assertEquals(4, ex.parallelism(), "two slots on each service");
            CompletableFuture<SweepEngine.Outcome> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return SweepEngine.run(plan, ex, 0, SweepEngineTest.tee(log));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the pretraining goes to the first service (both are free); it goes away after the checkpoint of step 2
            Path pretrain = work.resolve(plan.pretrain().get(0).dir());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (SweepEngineTest.latestStep(pretrain) < 2) {
                assertTrue(!run.isDone(), "sweep ended early: " + log);
                assertTrue(System.nanoTime() < deadline, "pretraining too slow: " + log);
                if (reference == null && Files.exists(pretrain.resolve(TrainingRun.RUN_FILE))) {
                    reference = startReference(plan.pretrain().get(0), dir.resolve("ref"));
                }
                Thread.sleep(100);
            }
            a.close();
            a = null;
            if (reference == null) {
                reference = startReference(plan.pretrain().get(0), dir.resolve("ref"));
            }
            o = run.get(5, TimeUnit.MINUTES);
        } finally {
            if (a != null) {
                a.close();
            }
            b.close();
        }
        assertTrue(o.ok(), o.failures() + "\n" + log);
        assertTrue(log.toString().contains("given up for this run"), log.toString());

        String key = plan.pretrain().get(0).key();
        long killedAt;
        List<RunStore.StepRecord> evals = new ArrayList<>();
        try (RunStore store = RunStore.openIn(work)) {
            List<RunStore.StepRecord> h = store.history(key);
            assertEquals(2, h.size(), h.toString());
            assertEquals("INTERRUPTED", h.get(0).status());
            assertEquals(urlA + " job 1", h.get(0).placed());
            assertEquals("DONE", h.get(1).status());
            assertTrue(h.get(1).placed().startsWith(b.url() + " job "), h.get(1).placed());
            killedAt = 4 - Math.round(h.get(1).metrics().get("steps_run"));
            assertTrue(killedAt >= 2 && killedAt < 4, "continued from a checkpoint: " + h.get(1).metrics());
            for (RunStore.Run r : store.runs()) {
                for (RunStore.StepRecord s : store.steps(r.id())) {
                    if (s.name().startsWith("eval/") && s.status().equals("DONE")) {
                        assertTrue(s.placed().startsWith(b.url()), s.placed());
                        evals.add(s);
                    }
                    if (s.name().equals("data") || s.name().equals("masks")) {
                        assertEquals(null, s.placed(), "data and masks run in the sweep's JVM");
                    }
                }
            }
        }
        assertEquals(2, evals.size(), "probes of step 0 and of the final backbone");

        // the losses of the same pretraining uninterrupted, and the probes here of the backbones the services evaluated
        PlannedStep step = plan.pretrain().get(0);
        Path remote = work.resolve(step.dir());
        assertEquals(reference.get(5, TimeUnit.MINUTES), losses(remote),
                "the loss sequence across the move between services");
        SweepPlan.EvalTarget probe = plan.evals().get(0);
        List<String> want = new ArrayList<>();
        for (String backbone : List.of(BackboneExporter.location(0, 4), BackboneExporter.FINAL)) {
            want.add(new TreeMap<>(EvalJobs.get(probe.eval()).run(remote.resolve(backbone).toString(),
                    Path.of(probe.dataRoot()), probe.settings(), dir.resolve("probe-" + want.size()))).toString());
        }
        List<String> got = new ArrayList<>();
        evals.forEach(e -> got.add(new TreeMap<>(e.metrics()).toString()));
        Collections.sort(want);
        Collections.sort(got);
        assertEquals(want, got, "the services' probe results are this JVM's of the same backbones");
    }

    /**
     * Starts the pretraining of {@code step} uninterrupted in this JVM (its data and masks are there once the service
     * began it), into {@code ref}, checkpointed only at its end, on a thread of its own: it runs while the services
     * do. Its losses come back.
     */
    private static CompletableFuture<List<Double>> startReference(PlannedStep step, Path ref) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reference(step, ref);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "reference-run");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Runs the pretraining of {@code step} uninterrupted into {@code ref}, checkpointed only at its end. */
    private static List<Double> reference(PlannedStep step, Path ref) throws Exception {
        ObjectNode cfg = step.spec().get("config").deepCopy();
        ((ObjectNode) cfg.get("output")).put("uri", ref.toString()).put("checkpoint_every", 4);
        TrainingRun.builder(TrainConfigYaml.parse(cfg, "ref")).dataHash(step.spec().get("data_hash").asText())
                .build().run();
        return losses(ref);
    }

    private static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode j = JSON.readTree(line);
            out.add(j.get("loss").asDouble());
        }
        return out;
    }
}
