package org.detcon.service;

import static org.detcon.service.TestJobs.await;
import static org.detcon.service.TestJobs.config;
import static org.detcon.service.TestJobs.pretrain;
import static org.detcon.service.TestJobs.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.detcon.service.client.ServiceClient;
import org.detcon.service.exec.ChildCommand;
import org.detcon.service.security.Tokens;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service killed (kill -9) mid-job and started again: its child dies with it, the job comes back as
 * RECOVERING with attempt 2 and resumes from its latest checkpoint to the losses of an uninterrupted run.
 */
class ServiceRestartTest {

    /**
     * Steps of the job, a checkpoint every 2: it is killed as soon as the checkpoint of step 2 is committed (its
     * output's {@code latest} names it), while it computes step 3, and resumes from step 2.
     */
    private static final int STEPS = 4;

    @TempDir
    Path dir;

    @Test
    void aKilledServiceResumesItsJobToTheSameLosses() throws Exception {
        Path data = TestJobs.shapes(dir);
        // the same config uninterrupted, in this JVM, checkpointed only at its end (the checkpoints every 2 steps of
        // the service's run must not change its losses either); on the other core while the service runs its job
        Path ref = dir.resolve("ref");
        CompletableFuture<List<Double>> reference = CompletableFuture.supplyAsync(() -> {
            try {
                TrainingRun.builder(TrainConfigYaml.parse(config(data, ref, STEPS, STEPS), "ref")).build().run();
                return TestJobs.losses(ref);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "reference-run");
            t.setDaemon(true);
            t.start();
        });
        Path state = dir.resolve("state");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process service = new ProcessBuilder(ChildCommand.java(ServiceMain.class.getName(),
                List.of(state.toString(), Integer.toString(port), "1")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();
        long id;
        long child;
        try {
            String url = "http://127.0.0.1:" + port;
            ServiceClient anonymous = new ServiceClient(url, null);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (anonymous.get("/v1/health").status() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    if (System.nanoTime() > end || !service.isAlive()) {
                        throw new AssertionError("the service did not come up: "
                                + Files.readString(dir.resolve("service.log")), e);
                    }
                    Thread.sleep(200);
                }
            }
            ServiceClient c = new ServiceClient(url, Tokens.read(state.resolve("token")));
            Path out = dir.resolve("out");
            ServiceClient.Response r = c.post("/v1/jobs", pretrain(config(data, out, STEPS, 2)));
            assertEquals(201, r.status(), r.body());
            id = r.json().get("id").asLong();
            // past the checkpoint of step 2 and into the steps after it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(out.resolve(Checkpoints.LATEST))) {
                assertTrue(System.nanoTime() < deadline, "no checkpoint in 120 s: " + c.get("/v1/jobs/" + id).body());
                Thread.sleep(50);
            }
            JsonNode running = c.get("/v1/jobs/" + id).json();
            assertEquals("RUNNING", running.get("status").asText(), running.toString());
            child = running.get("pid").asLong();
            assertTrue(running.get("step").asLong() < STEPS, "killed before the end: " + running);
            assertEquals(1, running.get("attempt").asInt());
        } finally {
            service.destroyForcibly();
            service.waitFor();
        }
        // the child notices the closed pipe and halts
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the job's JVM outlived"
                + " its service");

        try (TrainerService again = TrainerService.start(ServiceOptions.defaults(state).withPort(0))) {
            ServiceClient c = new ServiceClient(again.url(), Tokens.read(state.resolve("token")));
            JsonNode done = await(c, id, status("SUCCEEDED"), 180);
            assertEquals(2, done.get("attempt").asInt());
            String log = c.get("/v1/jobs/" + id + "/logs").body();
            assertTrue(log.contains("== attempt 2"), log);
            Matcher resumed = Pattern.compile("training steps (\\d+)\\.\\." + STEPS).matcher(log);
            assertTrue(resumed.find(log.indexOf("== attempt 2")), log);
            long from = Long.parseLong(resumed.group(1));
            assertEquals(2, from, "resumed from the checkpoint of step 2: " + log);
        }
        assertEquals(reference.get(5, TimeUnit.MINUTES), TestJobs.losses(dir.resolve("out")));
    }
}
