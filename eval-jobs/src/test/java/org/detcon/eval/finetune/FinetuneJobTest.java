package org.detcon.eval.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.jobs.DepthMetricsJob;
import org.detcon.eval.jobs.SegMetricsJob;
import org.detcon.eval.metrics.depth.DepthMetrics;
import org.detcon.eval.metrics.seg.SegMetrics;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainingLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning end to end on tiny data (ResNet-18, a few steps): the job trains through the training loop, resumes
 * exactly, skips and lists bad training samples, and writes predictions and ground truth from which the metric
 * commands' code reproduces {@code result.json} exactly; bad inputs are one-line errors naming the file.
 */
class FinetuneJobTest {

    @TempDir
    static Path tmp;

    private static String backbone;

    @BeforeAll
    static void exportBackbone() throws IOException {
        backbone = TinyData.export(tmp.resolve("backbone"));
    }

    private static final String SEG = """
            task: voc-seg
            backbone: {depth: 18}
            head: {channels: 8, dilation: 2}
            data: {train_split: train, val_split: val, crop: [32, 32], scale: [0.75, 1.25]}
            batch_size: 2
            steps: 3
            optimizer: {lr: 0.02}
            output: {checkpoint_every: 10, log_every: 1}
            seed: 4
            torch_threads: 1
            """;

    private static FinetuneConfig config(String yaml, Path out) {
        try {
            return FinetuneConfigYaml.parse(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml),
                    "test.yaml", out.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Double> losses(Path out) throws IOException {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(TrainingLoop.RUN_FILE.replace("run.json",
                "metrics.jsonl")))) {
            l.add(new ObjectMapper().readTree(line).get("loss").asDouble());
        }
        return l;
    }

    @Test
    void segmentationResumesExactlySkipsBadSamplesAndItsFilesReproduceTheResult() throws IOException {
        Path data = tmp.resolve("voc");
        Path voc = TinyData.voc(data, 5, 3, 40, 32);
        // one training label with a value outside the 3 classes (and not 255): skipped and listed
        int[] bad = TinyData.labels(1, 40, 32);
        bad[5] = 7;
        TinyData.gray(voc.resolve("SegmentationClass/2011_000001.png"), bad, 40, 32, false);

        Path a = tmp.resolve("seg-a");
        FinetuneJob.Outcome full = FinetuneJob.run(config(SEG, a), backbone, data,
                new FinetuneJob.Options(true, Long.MAX_VALUE, null));
        assertTrue(full.complete());
        JsonNode r = new ObjectMapper().readTree(a.resolve(FinetuneJob.RESULT).toFile());
        assertEquals("voc-seg", r.get("task").asText());
        assertEquals(3, r.get("steps").asLong());
        assertEquals(6, r.get("images_seen").asLong());
        assertEquals(3, r.get("per_class_iou").size());
        JsonNode skipped = r.get("skipped_samples");
        assertEquals(1, skipped.get("count").asInt(), skipped.toString());
        assertEquals("2011_000001", skipped.get("samples").get(0).get("id").asText());
        assertTrue(skipped.get("samples").get(0).get("reason").asText().contains("2011_000001.png"), skipped.toString());

        // the metric command's code on the written files gives exactly the result's numbers
        SegMetrics files = SegMetricsJob.run(a.resolve("gt"), a.resolve("predictions"), 3, 255).metrics();
        assertEquals(r.get("metrics").get("miou").asDouble(), files.meanIou(), 0);
        assertEquals(r.get("metrics").get("pixel_accuracy").asDouble(), files.pixelAccuracy(), 0);
        assertEquals(3, Files.list(a.resolve("predictions")).count());

        // interrupted after 2 steps and run again: the same losses and the same final numbers
        Path b = tmp.resolve("seg-b");
        FinetuneJob.Outcome part = FinetuneJob.run(config(SEG, b), backbone, data,
                new FinetuneJob.Options(false, 2, null));
        assertFalse(part.complete());
        assertEquals(2, part.stepsDone());
        assertFalse(Files.exists(b.resolve(FinetuneJob.RESULT)));
        FinetuneJob.Outcome resumed = FinetuneJob.run(config(SEG, b), backbone, data, FinetuneJob.Options.DEFAULT);
        assertEquals(full.metrics(), resumed.metrics());
        assertEquals(losses(a), losses(b));
        JsonNode rb = new ObjectMapper().readTree(b.resolve(FinetuneJob.RESULT).toFile());
        assertEquals(1, rb.get("skipped_samples").get("count").asInt(), "still listed after the resume");

        // another config into the same output is refused, naming the field
        ConfigException e = assertThrows(ConfigException.class, () -> FinetuneJob.run(
                config(SEG.replace("seed: 4", "seed: 5"), b), backbone, data, FinetuneJob.Options.DEFAULT));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void depthRunsFrozenAndDepthMetricsReproduceTheResult() throws IOException {
        Path data = tmp.resolve("nyu-data");
        TinyData.nyu(data, 4, 2, 96, 64);
        // a training depth map with no valid pixel: skipped and listed
        TinyData.gray(data.resolve("nyu/train/depth/0002.png"), new int[96 * 64], 96, 64, true);
        Path out = tmp.resolve("depth");
        String yaml = """
                task: nyu-depth
                backbone: {mode: frozen}
                head: {up_channels: [16, 8, 8, 8]}
                data: {crop: [40, 32], scale: 0.5, color_jitter: 0.2}
                batch_size: 2
                steps: 2
                optimizer: {lr: 0.05}
                output: {checkpoint_every: 5}
                torch_threads: 1
                """;
        FinetuneJob.Outcome o = FinetuneJob.run(config(yaml, out), backbone, data,
                new FinetuneJob.Options(true, Long.MAX_VALUE, null));
        JsonNode r = o.result();
        assertEquals("frozen", r.get("config").get("backbone").get("mode").asText());
        assertEquals(1, r.get("skipped_samples").get("count").asInt());
        DepthMetrics files = DepthMetricsJob.run(out.resolve("gt"), out.resolve("predictions")).metrics();
        files.asMap().forEach((k, v) -> assertEquals(r.get("metrics").get(k).asDouble(), v, 0, k));
        // the evaluated ground truth is the window of the original map: 40x32 at scale 1/2 is 80x64
        assertEquals(80, org.detcon.eval.data.NpyDepth.read(out.resolve("gt/0004.npy")).width());
        assertEquals(64, org.detcon.eval.data.NpyDepth.read(out.resolve("predictions/0004.npy")).height());
        assertTrue(o.metrics().get("delta1") >= 0 && o.metrics().get("delta1") <= 1);
    }

    @Test
    void badInputsAreOneLineErrorsNamingTheFile() throws IOException {
        Path data = tmp.resolve("bad");
        Path voc = TinyData.voc(data, 2, 2, 40, 32);
        Path out = tmp.resolve("bad-out");
        // the protocol's train_aug list is missing
        MalformedDataException missing = assertThrows(MalformedDataException.class, () -> FinetuneJob.run(
                config(SEG.replace("train_split: train, ", ""), out), backbone, data, FinetuneJob.Options.DEFAULT));
        assertTrue(missing.getMessage().contains("train_aug.txt") && missing.getMessage().contains("train_split"),
                missing.getMessage());
        // an export whose weights do not match their descriptor
        Path damaged = tmp.resolve("damaged");
        TinyData.export(damaged);
        byte[] w = Files.readAllBytes(damaged.resolve("backbone.npz"));
        w[w.length - 10] ^= 1;
        Files.write(damaged.resolve("backbone.npz"), w);
        IOException sha = assertThrows(IOException.class, () -> FinetuneJob.run(config(SEG, out), damaged.toString(),
                data, FinetuneJob.Options.DEFAULT));
        assertTrue(sha.getMessage().contains("backbone.npz") && sha.getMessage().contains("sha256"),
                sha.getMessage());
        // an export of another depth than the config's
        ConfigException depth = assertThrows(ConfigException.class, () -> FinetuneJob.run(
                config(SEG.replace("depth: 18", "depth: 50"), out), backbone, data, FinetuneJob.Options.DEFAULT));
        assertTrue(depth.getMessage().startsWith("backbone.depth") && depth.getMessage().contains("ResNet-18"),
                depth.getMessage());
        // a listed image that does not exist
        Files.writeString(voc.resolve("ImageSets/Segmentation/val.txt"), "2011_000002\n2011_000099\n",
                StandardCharsets.UTF_8);
        MalformedDataException image = assertThrows(MalformedDataException.class, () -> FinetuneJob.run(
                config(SEG, out), backbone, data, FinetuneJob.Options.DEFAULT));
        assertTrue(image.getMessage().contains("2011_000099"), image.getMessage());
        // a validation label of another size than its image
        Files.writeString(voc.resolve("ImageSets/Segmentation/val.txt"), "2011_000002\n", StandardCharsets.UTF_8);
        TinyData.gray(voc.resolve("SegmentationClass/2011_000002.png"), new int[20 * 32], 20, 32, false);
        MalformedDataException size = assertThrows(MalformedDataException.class, () -> FinetuneJob.run(
                config(SEG.replace("steps: 3", "steps: 1"), tmp.resolve("bad-out-2")), backbone, data,
                FinetuneJob.Options.DEFAULT));
        assertTrue(size.getMessage().contains("2011_000002.png") && size.getMessage().contains("label size"),
                size.getMessage());
        assertFalse(size.getMessage().contains("\n"));
    }
}
