package org.detcon.orchestration.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.detcon.cli.CliRunner;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.ObjectTrees;
import org.detcon.core.store.s3.S3ProxyExtension;
import org.detcon.orchestration.S3TestSettings;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.service.ServiceMain;
import org.detcon.service.client.ServiceClient;
import org.detcon.service.exec.ChildCommand;
import org.detcon.service.security.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detcon sweep run --outputs s3://...} against a real S3-compatible server (core's in-process s3proxy),
 * configured the way hosts are (system properties here, the environment for the trainer service's process and its
 * job JVMs): the first run dispatches its pretraining and its evaluation to a trainer service (its own process, no
 * shared filesystem: no {@code --service-shared-fs}; the eval job stages the dataset from the store and writes its
 * result there) and runs data and masks here; every step output goes to the object store at the working directory's
 * relative folders, the run store stays in the working directory. The service refuses eval jobs whose {@code s3://}
 * data or backbone is missing. A second run, in process, reuses every step after checking it through the store; a
 * changed result makes the evaluation (only) run again, in process, with the report unchanged: the service's
 * metrics are the in-process ones. Plus the refusals of {@code --service} without reachable locations.
 */
@ExtendWith(S3ProxyExtension.class)
class SweepS3Test {


    @TempDir
    Path dir;

    private static S3ProxyExtension.Server server;
    private static S3TestSettings settings;

    @BeforeAll
    static void s3Settings(S3ProxyExtension.Server s3) {
        server = s3;
        settings = S3TestSettings.apply(s3);
    }

    @AfterAll
    static void restore() {
        settings.close();
    }

    /** Waits until the service answers its health check (its process still alive). */
    private static void awaitHealthy(String url, Process service) throws Exception {
        ServiceClient anonymous = new ServiceClient(url, null);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (anonymous.get("/v1/health").status() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                if (System.nanoTime() > end || !service.isAlive()) {
                    throw new AssertionError("the service did not come up", e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Eval jobs with missing {@code s3://} inputs are refused at submit with the field and the URI. */
    private static void refusesMissingS3Inputs(ServiceClient client) throws Exception {
        String missing = "s3://" + S3ProxyExtension.Server.BUCKET + "/nothing-here";
        try (ObjectStore s3 = ObjectStores.open("s3://" + S3ProxyExtension.Server.BUCKET + "/refusals/data")) {
            s3.write("synth.json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        for (String field : List.of("data", "backbone")) {
            ObjectNode job = new ObjectMapper().createObjectNode().put("kind", "probe");
            job.putObject("config").put("backbone", field.equals("backbone") ? missing + "/backbone" : missing)
                    .put("data", field.equals("data") ? missing : "s3://" + S3ProxyExtension.Server.BUCKET
                            + "/refusals/data").put("out", missing + "/out");
            ServiceClient.Response r = client.post("/v1/jobs", job);
            String error = r.json().path("error").asText();
            assertEquals(400, r.status(), r.body());
            assertTrue(error.startsWith("config." + field + ": ") && error.lines().count() == 1, error);
            assertTrue(!field.equals("data") || error.contains(missing + " holds no objects"), error);
        }
    }

    private static final String OUTPUTS = "s3://" + S3ProxyExtension.Server.BUCKET + "/sweeps/s3test";

    @Test
    void stepOutputsInS3AreReusedThroughTheStoreAndReported() throws Exception {
        Path file = dir.resolve("s3.yaml");
        Files.writeString(file, SweepEngineTest.sweep("s3", 2, "{method: [detcon_b]}", "seeds: [0]"));
        Path work = dir.resolve("w");
        String[] run = {"sweep", "run", file.toString(), "--workdir", work.toString(), "--outputs", OUTPUTS,
            "--in-process"};

        Path state = dir.resolve("service");
        Files.createDirectories(state);
        Files.writeString(state.resolve(Tokens.FILE), "0123456789abcdef0123456789abcdef-s3-sweep\n");
        int port;
        try (ServerSocket sock = new ServerSocket(0)) {
            port = sock.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(ChildCommand.java(ServiceMain.class.getName(), List.of(
                state.toString(), Integer.toString(port), "1"))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("service.log").toFile());
        pb.environment().putAll(S3TestSettings.environment(server));
        Process service = pb.start();
        String url = "http://127.0.0.1:" + port;
        CliRunner first;
        try {
            awaitHealthy(url, service);
            refusesMissingS3Inputs(new ServiceClient(url, Tokens.read(state.resolve(Tokens.FILE))));
            first = CliRunner.run("sweep", "run", file.toString(), "--workdir", work.toString(), "--outputs",
                    OUTPUTS, "--service", url, "--service-token-file", state.resolve(Tokens.FILE).toString());
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
            service.destroyForcibly();
        }
        assertEquals(0, first.exitCode(), first.out() + first.err() + Files.readString(dir.resolve("service.log")));
        assertTrue(first.out().contains(": 4 steps run, 0 reused"), first.out());
        assertFalse(Files.exists(work.resolve("steps")), "no step output in the working directory");

        SweepPlan plan = Planner.plan(SweepFileReader.read(file), work, OUTPUTS, List.of());
        PlannedStep pretrain = plan.pretrain().get(0);
        try (ObjectStore s3 = ObjectStores.open(OUTPUTS)) {
            assertTrue(s3.exists(plan.masks().dir() + "/_manifest.json"));
            assertTrue(s3.exists(pretrain.dir() + "/backbone/backbone.json"));
            assertTrue(s3.exists(pretrain.dir() + "/metrics.jsonl"));
            assertTrue(s3.exists(plan.data().dir() + "/synth.json"));
        }
        String evalResult;
        try (RunStore store = RunStore.openIn(work)) {
            for (RunStore.StepRecord st : store.steps(store.runs().get(0).id())) {
                String placed = switch (st.name()) {
                    case "pretrain" -> url + " job 1";
                    case "eval/probe" -> url + " job 2";
                    default -> null;
                };
                assertEquals(placed, st.placed(), st.label());
            }
            SweepResults res = SweepResults.read(plan, store);
            assertEquals(Map.of("done", 4), res.counts());
            SweepResults.CellResult c = res.cells().get(0);
            assertEquals(OUTPUTS + "/" + pretrain.dir() + "/backbone", c.pretrain().outputs().get("backbone"));
            assertTrue(c.value("probe", "miou", 2).isPresent(), "probe result read back");
            assertEquals(2, c.loss().size(), "loss curve read from s3");
            evalResult = c.evals().get(0).state().outputs().get("result");
            assertTrue(evalResult.startsWith(OUTPUTS + "/steps/eval/"), evalResult);
        }
        String csv = Files.readString(work.resolve("reports/s3/results.csv"));

        CliRunner second = CliRunner.run(run);
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertTrue(second.out().contains(": 0 steps run, 4 reused"), second.out());
        assertEquals(csv, Files.readString(work.resolve("reports/s3/results.csv")));

        // an object changed behind the run store's back: that step (only) runs again, here, to the same report
        String evalDir = evalResult.substring(OUTPUTS.length() + 1, evalResult.lastIndexOf('/'));
        try (ObjectStore s3 = ObjectStores.open(OUTPUTS)) {
            s3.write(evalDir + "/result.json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        CliRunner third = CliRunner.run(run);
        assertEquals(0, third.exitCode(), third.out() + third.err());
        assertTrue(third.out().contains(": 1 steps run, 3 reused") && third.out().contains("missing or changed"),
                third.out());
        assertEquals(csv, Files.readString(work.resolve("reports/s3/results.csv")));

        CliRunner status = CliRunner.run("sweep", "status", file.toString(), "--workdir", work.toString(),
                "--outputs", OUTPUTS);
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("steps: 4 done"), status.out());

        // --service reaches nothing local: the outputs must be in the object store, and so must the training data
        CliRunner local = CliRunner.run("sweep", "run", file.toString(), "--workdir", work.toString(), "--service",
                "http://127.0.0.1:9");
        assertNotEquals(0, local.exitCode());
        assertTrue(local.err().contains(work.toAbsolutePath().normalize().toString())
                && local.err().contains("--outputs s3://") && local.err().strip().lines().count() == 1, local.err());
        Path shards = dir.resolve("shards");
        try (ObjectStore from = ObjectStores.open(OUTPUTS + "/" + plan.masks().dir());
                ObjectStore to = new LocalObjectStore(shards)) {
            ObjectTrees.copy(from, to);
        }
        Path given = dir.resolve("given.yaml");
        Files.writeString(given, SweepEngineTest.sweep("given", 2, "{method: [byol]}", "seeds: [0]")
                .replaceAll("(?m)^(data|masks|evals): .*$", "")
                .replace("output: {", "data: {uri: " + shards + ", shuffle_buffer: 8, threads: 1, prefetch: 1}\n"
                        + "  output: {").replace("  data: {shuffle_buffer: 8, threads: 1, prefetch: 1}\n", ""));
        CliRunner data = CliRunner.run("sweep", "run", given.toString(), "--workdir", work.toString(), "--outputs",
                OUTPUTS, "--service", "http://127.0.0.1:9");
        assertNotEquals(0, data.exitCode());
        assertTrue(data.err().contains("pretraining data " + shards) && data.err().contains("s3://")
                && data.err().strip().lines().count() == 1, data.err());

        CliRunner notS3 = CliRunner.run("sweep", "plan", file.toString(), "--workdir", work.toString(), "--outputs",
                dir.resolve("elsewhere").toString());
        assertNotEquals(0, notS3.exitCode());
        assertTrue(notS3.err().contains("--outputs") && notS3.err().contains("s3://"), notS3.err());
    }
}
