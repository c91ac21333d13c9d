package org.detcon.orchestration.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.cli.CliRunner;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.s3.S3ProxyExtension;
import org.detcon.orchestration.S3TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run on a tiny sweep (one DetCon_B cell, 2 steps at 32 px, steps in this JVM): no baseline is an
 * error that says how to bless one; an identical rerun passes exactly; a perturbed baseline drifts at the right
 * metric and step; another platform's baseline is compared within bands; bless keeps the previous baseline's hash;
 * a failed step is an ERROR; exit codes 0 / 3 / 1. The identical rerun keeps its step outputs in an object store
 * ({@code --outputs s3://...}, core's test s3proxy), which must hold nothing before a run.
 */
@ExtendWith(S3ProxyExtension.class)
class NightlyTest {

    private static final String OUTPUTS = "s3://" + S3ProxyExtension.Server.BUCKET + "/nightly/r2";

    @TempDir
    Path dir;

    private S3TestSettings settings;

    @BeforeEach
    void s3(S3ProxyExtension.Server s3) {
        settings = S3TestSettings.apply(s3);
    }

    @AfterEach
    void noS3() {
        settings.close();
    }

    static final String SWEEP = """
            name: nightly-tiny
            base:
              method: detcon_b
              backbone: {depth: 18}
              image_size: 32
              batch_size: 4
              steps: 2
              heads: {hidden: 32, out: 16}
              masks: {set: fh-s100, per_view: 4}
              optimizer: {base_lr: 2.0, warmup_steps: 1}
              ema: {base_tau: 0.99}
              data: {shuffle_buffer: 8, threads: 1, prefetch: 1}
              output: {checkpoint_every: 50, keep_checkpoints: 1}
              torch_threads: 1
            seeds: [0]
            data: {synth: {images: 12, val_images: 4, size: 32}}
            masks: {sets: ["fh:100"], runner: direct, parallelism: 1}
            evals: [{probe: {input: 32, train: 8, val: 4}}]
            retries: 0
            """;

    CliRunner nightly(Path sweep, Path baseline, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("nightly", "run", "--sweep", sweep.toString(), "--baseline",
                baseline.toString(), "--out", dir.resolve(out).toString(), "--in-process"));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void identicalRerunPassesPerturbedBaselineDriftsAndFailuresAreErrors() throws Exception {
        Path sweep = dir.resolve("nightly.yaml");
        Files.writeString(sweep, SWEEP);
        Path baseline = dir.resolve("baseline.json");

        CliRunner first = nightly(sweep, baseline, "r1");
        assertEquals(1, first.exitCode(), first.out() + first.err());
        assertTrue(first.err().contains("no baseline at") && first.err().contains("nightly bless"), first.err());
        CliRunner bless = CliRunner.run("nightly", "bless", dir.resolve("r1").toString(), "--baseline",
                baseline.toString(), "--reason", "first baseline");
        assertEquals(0, bless.exitCode(), bless.err());
        Baseline b1 = Baseline.read(baseline);
        assertNull(b1.previousSha256());
        assertEquals("first baseline", b1.reason());

        // an identical rerun, in a fresh working directory, its step outputs in the object store: exact
        CliRunner second = nightly(sweep, baseline, "r2", "--outputs", OUTPUTS);
        assertEquals(0, second.exitCode(), second.out() + second.err());
        assertFalse(Files.exists(dir.resolve("r2/work/steps")), "the step outputs are in the store");
        try (ObjectStore s3 = ObjectStores.open(OUTPUTS)) {
            assertTrue(s3.list("").stream().anyMatch(k -> k.endsWith("/backbone/backbone.json")), s3.list("").toString());
        }
        CliRunner used = nightly(sweep, baseline, "r2-again", "--outputs", OUTPUTS);
        assertNotEquals(0, used.exitCode());
        assertTrue(used.err().contains("--outputs " + OUTPUTS + " is not empty"), used.err());
        CliRunner local = nightly(sweep, baseline, "r2-local", "--outputs", dir.resolve("x").toString());
        assertNotEquals(0, local.exitCode());
        assertTrue(local.err().contains("s3://BUCKET/PREFIX"), local.err());
        JsonNode drift = Observation.JSON.readTree(dir.resolve("r2/drift.json").toFile());
        assertEquals("PASS", drift.get("status").asText());
        assertEquals("exact", drift.get("mode").asText());
        assertTrue(Files.readString(dir.resolve("r2/drift.md")).contains("Mode: **exact**"));
        CliRunner check = CliRunner.run("nightly", "check", dir.resolve("r2").toString(), "--baseline",
                baseline.toString());
        assertEquals(0, check.exitCode(), check.out());

        // a perturbed baseline: the loss at step 2 and a metric; the first drifted step is pretraining, at step 2
        ObjectNode perturbed = (ObjectNode) Observation.JSON.readTree(baseline.toFile());
        ObjectNode cell = (ObjectNode) perturbed.get("observation").get("cells").get("seed=0");
        ArrayNode loss = (ArrayNode) cell.get("loss");
        ((ArrayNode) loss.get(1)).set(1, loss.get(1).get(1).doubleValue() * 1.5);
        ObjectNode metrics = (ObjectNode) cell.get("metrics");
        metrics.put("probe.miou@2", metrics.get("probe.miou@2").asDouble() + 0.1);
        Path bad = dir.resolve("perturbed.json");
        Observation.JSON.writeValue(bad.toFile(), perturbed);
        CliRunner drifted = CliRunner.run("nightly", "check", dir.resolve("r2").toString(), "--baseline",
                bad.toString());
        assertEquals(3, drifted.exitCode(), drifted.out());
        drift = Observation.JSON.readTree(dir.resolve("r2/drift.json").toFile());
        assertEquals("DRIFT", drift.get("status").asText());
        assertEquals("pretrain", drift.get("first_drifted_step").asText());
        JsonNode lossCheck = find(drift, "loss");
        assertEquals("DRIFT", lossCheck.get("result").asText());
        assertEquals(2, lossCheck.get("first_step").asLong());
        assertEquals("DRIFT", find(drift, "probe.miou@2").get("result").asText());
        assertEquals("PASS", find(drift, "probe.delta1@2").get("result").asText());

        // a baseline from another platform: bands, not bits; within them, a pass, and the report says why
        ObjectNode other = (ObjectNode) Observation.JSON.readTree(baseline.toFile());
        ((ObjectNode) other.get("observation").get("fingerprint")).put("cpu", "Another CPU");
        ObjectNode otherCell = (ObjectNode) other.get("observation").get("cells").get("seed=0");
        ArrayNode otherLoss = (ArrayNode) otherCell.get("loss");
        ((ArrayNode) otherLoss.get(1)).set(1, otherLoss.get(1).get(1).doubleValue() * 1.005); // inside 1 %
        Path elsewhere = dir.resolve("elsewhere.json");
        Observation.JSON.writeValue(elsewhere.toFile(), other);
        CliRunner bands = CliRunner.run("nightly", "check", dir.resolve("r2").toString(), "--baseline",
                elsewhere.toString());
        assertEquals(0, bands.exitCode(), bands.out());
        drift = Observation.JSON.readTree(dir.resolve("r2/drift.json").toFile());
        assertEquals("bands", drift.get("mode").asText());
        assertTrue(drift.get("fingerprint_differences").has("cpu"));
        assertTrue(Files.readString(dir.resolve("r2/drift.md")).contains("Mode: **bands**"));
        ((ArrayNode) otherLoss.get(1)).set(1, otherLoss.get(1).get(1).doubleValue() * 1.1); // outside
        Observation.JSON.writeValue(elsewhere.toFile(), other);
        assertEquals(3, CliRunner.run("nightly", "check", dir.resolve("r2").toString(), "--baseline",
                elsewhere.toString()).exitCode());

        // bless keeps the previous baseline's hash and the reason; runs never update the baseline
        String sha1 = Baseline.sha256(baseline);

        assertEquals(0, CliRunner.run("nightly", "bless", dir.resolve("r2").toString(), "--baseline",
                baseline.toString(), "--reason", "rerun on the same machine").exitCode());
        Baseline b2 = Baseline.read(baseline);
        String sha2 = Baseline.sha256(baseline);
        assertEquals(sha1, b2.previousSha256());
        assertEquals("rerun on the same machine", b2.reason());

        // a failing step: ERROR, exit 1
        Path failing = dir.resolve("failing.yaml");
        Files.writeString(failing, SWEEP.replace("base_lr: 2.0", "base_lr: 1.0e30"));
        CliRunner error = nightly(failing, baseline, "r3");
        assertEquals(1, error.exitCode(), error.out() + error.err());
        drift = Observation.JSON.readTree(dir.resolve("r3/drift.json").toFile());
        assertEquals("ERROR", drift.get("status").asText());
        assertTrue(error.out().contains("ERROR"), error.out());
        assertEquals(sha2, Baseline.sha256(baseline), "a run never updates the baseline");
    }

    private static JsonNode find(JsonNode drift, String metric) {
        for (JsonNode c : drift.get("checks")) {
            if (c.get("metric").asText().equals(metric)) {
                return c;
            }
        }
        throw new AssertionError("no check of " + metric + " in " + drift);
    }
}
