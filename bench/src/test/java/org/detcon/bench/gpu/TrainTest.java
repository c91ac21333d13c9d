package org.detcon.bench.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU check's entry point: shapes shards written, then the one training path run from them with overrides. */
class TrainTest {

    @Test
    void writesShapesAndTrainsFromThemWithOverrides(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("shapes");
        Train.shapes(List.of(data.toString(), "count=8", "size=32", "per_shard=4"));
        assertTrue(Files.exists(data.resolve(DatasetManifest.FILE_NAME)));
        assertEquals(2, Files.list(data).filter(p -> p.toString().endsWith(".tar")).count());

        Path config = dir.resolve("c.yaml");
        Files.writeString(config, String.join("\n", "method: detcon_b", "backbone: {depth: 50, width: 1}",
                "image_size: 224", "batch_size: 64", "steps: 100", "heads: {hidden: 64, out: 16}",
                "masks: {set: shapes, per_view: 4}", "optimizer: {base_lr: 0.2, warmup_steps: 10}",
                "data: {uri: nowhere, threads: 1, prefetch: 1}", "output: {uri: nowhere, log_every: 1}",
                "device: gpu", "precision: tf32", "torch_threads: 1", "seed: 0", ""));
        Path out = dir.resolve("run");
        StringWriter progress = new StringWriter();
        TrainingLoop.Result r = Train.train(List.of(config.toString(), "data.uri=" + data, "output.uri=" + out,
                "backbone.depth=18", "image_size=32", "batch_size=4", "steps=3", "optimizer.warmup_steps=1",
                "device=cpu", "precision=fp32", "--max-steps", "2"), new PrintWriter(progress));
        assertEquals(0, r.startStep());
        assertEquals(2, r.steps());
        assertTrue(Float.isFinite(r.lastLoss()));
        List<String> metrics = Files.readAllLines(out.resolve(TrainingRun.METRICS_FILE));
        assertEquals(2, metrics.size());
        JsonNode last = new ObjectMapper().readTree(metrics.get(1));
        assertEquals(1, last.get("step").asInt());
        assertTrue(last.has("img_per_s") && last.has("data_wait"));
        JsonNode run = new ObjectMapper().readTree(out.resolve(TrainingRun.RUN_FILE).toFile());
        assertTrue(run.toString().contains("\"depth\":18"), run.toString());
    }
}
