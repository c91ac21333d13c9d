package org.detcon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.detcon.core.store.ObjectStores;
import org.detcon.service.client.ServiceClient;
import org.detcon.trainer.data.Shapes;

/** The tests' tiny pretraining jobs (BYOL, ResNet-18 at 32 px, batch 4) and polling. */
final class TestJobs {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestJobs() {
    }

    /** 8 shapes images at 32 px as a shard dataset. */
    static Path shapes(Path dir) throws IOException {
        Path data = dir.resolve("shapes");
        Shapes.writeDataset(ObjectStores.open(data.toString()), 32, 1, 8, 4);
        return data;
    }

    static String config(Path data, Path out, int steps, int checkpointEvery) {
        return """
                method: byol
                backbone: {depth: 18}
                image_size: 32
                batch_size: 4
                steps: %d
                heads: {hidden: 32, out: 16}
                data: {uri: %s, shuffle_buffer: 4, threads: 1, prefetch: 1}
                output: {uri: %s, checkpoint_every: %d, keep_checkpoints: 1}
                torch_threads: 1
                """.formatted(steps, data, out, checkpointEvery);
    }

    static ObjectNode pretrain(String yaml) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "pretrain");
        o.put("config", yaml);
        return o;
    }

    /** Polls job {@code id} until {@code until} holds (fails after {@code seconds}). */
    static JsonNode await(ServiceClient c, long id, Predicate<JsonNode> until, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode j = null;
        while (System.nanoTime() < end) {
            ServiceClient.Response r = c.get("/v1/jobs/" + id);
            assertEquals(200, r.status(), r.body());
            j = r.json();
            if (until.test(j)) {
                return j;
            }
            Thread.sleep(200);
        }
        fail("job " + id + " did not get there in " + seconds + " s: " + j);
        return j;
    }

    static Predicate<JsonNode> status(String s) {
        return j -> j.get("status").asText().equals(s);
    }

    /** The losses of a run's metrics.jsonl, checking that the steps count up from 0. */
    static List<Double> losses(Path out) throws IOException {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode o = JSON.readTree(line);
            assertEquals(l.size(), o.get("step").asLong(), "steps in order: " + line);
            l.add(o.get("loss").asDouble());
        }
        return l;
    }
}
