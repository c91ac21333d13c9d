package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detcon eval finetune} from a {@code detcon train} export on {@code detcon data synth} output: both task
 * families run through the CLI with --set and --frozen, the metric commands reproduce the result, bad arguments are
 * one-line usage errors; {@code detcon eval probe} takes a real VOC root without NYU data. (The job itself:
 * eval-jobs' FinetuneJobTest.)
 */
class FinetuneCliTest {

    @TempDir
    static Path dir;

    private static Path data;
    private static Path backbone;
    private static Path config;

    @BeforeAll
    static void backboneAndData() throws IOException {
        Path cfg = CliRunner.tinyTrainConfig(dir, "pre", "byol", 4, "");
        CliRunner t = CliRunner.run("train", "--config", cfg.toString());
        assertEquals(0, t.exitCode(), t.err());
        backbone = dir.resolve("pre/backbone");
        data = dir.resolve("synth");
        CliRunner s = CliRunner.run("data", "synth", "--out", data.toString(), "--images", "4", "--val-images", "2",
                "--size", "48");
        assertEquals(0, s.exitCode(), s.err());
        config = dir.resolve("seg.yaml");
        Files.writeString(config, """
                task: voc-seg
                backbone: {depth: 18}
                head: {channels: 8, dilation: 2}
                data: {train_split: train, val_split: val, crop: [32, 32]}
                batch_size: 2
                steps: 2
                torch_threads: 1
                """);
    }

    @Test
    void segmentationWithOverridesAndTheMetricCommandReproducesIt() throws IOException {
        Path out = dir.resolve("seg");
        CliRunner r = CliRunner.run("eval", "finetune", "--task", "voc-seg", "--config", config.toString(),
                "--backbone", backbone.toString(), "--data", data.toString(), "--out", out.toString(),
                "--set", "optimizer.lr=0.003", "--save-predictions");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("voc-seg: miou ") && r.out().contains("lr 0.003"), r.out());
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        CliRunner m = CliRunner.run("eval", "seg-metrics", "--gt", out.resolve("gt").toString(), "--pred",
                out.resolve("predictions").toString(), "--num-classes", "6", "--json");
        assertEquals(0, m.exitCode(), m.err());
        assertEquals(result.get("metrics").get("miou").asDouble(),
                new ObjectMapper().readTree(m.out()).get("miou").asDouble(), 0);
        // the same command again: the finished run is recognised and evaluated again, same numbers
        CliRunner again = CliRunner.run("eval", "finetune", "--task", "voc-seg", "--config", config.toString(),
                "--backbone", backbone.toString(), "--data", data.toString(), "--out", out.toString(),
                "--set", "optimizer.lr=0.003");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(r.out().substring(0, r.out().indexOf("(")), again.out().substring(0, again.out().indexOf("(")));
    }

    @Test
    void frozenDepthFromTheProtocolDefaults() throws IOException {
        Path out = dir.resolve("depth");
        CliRunner r = CliRunner.run("eval", "finetune", "--task", "nyu-depth", "--backbone", backbone.toString(),
                "--data", data.toString(), "--out", out.toString(), "--frozen", "--set", "batch_size=2",
                "--set", "steps=1", "--set", "data.crop=[32,32]", "--set", "data.scale=1.0",
                "--set", "head.up_channels=[8,8,8,8]", "--set", "torch_threads=1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertEquals("frozen", result.get("config").get("backbone").get("mode").asText());
        assertTrue(result.get("metrics").has("delta1") && result.get("metrics").has("abs_rel"), r.out());
        assertTrue(r.err().contains("s/step") && r.err().contains("ETA"), r.err());
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() throws IOException {
        CliRunner wrongTask = CliRunner.run("eval", "finetune", "--task", "nyu-depth", "--config", config.toString(),
                "--backbone", backbone.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, wrongTask.exitCode());
        assertTrue(wrongTask.err().contains("voc-seg config"), wrongTask.err());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "task: voc-seg\noptimizer:\n  lr: -1\n");
        CliRunner field = CliRunner.run("eval", "finetune", "--task", "voc-seg", "--config", bad.toString(),
                "--backbone", backbone.toString(), "--data", data.toString(), "--out", dir.resolve("y").toString());
        assertEquals(2, field.exitCode());
        assertTrue(field.err().contains("bad.yaml") && field.err().contains("optimizer.lr"), field.err());
        assertEquals(1, field.err().strip().lines().count(), field.err());
        CliRunner unknown = CliRunner.run("eval", "finetune", "--task", "coco", "--backbone", backbone.toString(),
                "--data", data.toString(), "--out", dir.resolve("z").toString());
        assertEquals(2, unknown.exitCode());
        assertFalse(Files.exists(dir.resolve("z")));
    }

    @Test
    void probeTakesARealVocRootWithoutDepthData() {
        CliRunner r = CliRunner.run("eval", "probe", "--backbone", backbone.toString(), "--data",
                data.resolve("VOC2012").toString(), "--input", "32", "--train", "4", "--val", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mIoU") && r.out().contains("delta1 n/a"), r.out());
    }
}
