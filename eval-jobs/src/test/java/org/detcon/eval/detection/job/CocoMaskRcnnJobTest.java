package org.detcon.eval.detection.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.job.CocoMetricsJob;
import org.detcon.eval.detection.TinyCoco;
import org.detcon.eval.detection.config.CocoMaskRcnnConfig;
import org.detcon.eval.detection.config.CocoMaskRcnnConfigYaml;
import org.detcon.eval.detection.infer.CocoDetectionEvaluation;
import org.detcon.eval.detection.infer.DetectionResult;
import org.detcon.eval.detection.infer.EvalOnly;
import org.detcon.eval.finetune.FinetuneJob;
import org.detcon.eval.finetune.TinyData;
import org.detcon.trainer.run.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector fine-tuned end to end on a tiny COCO-layout dataset (ResNet-18, 64 px, 4 steps) through the training
 * loop: losses by name in {@code metrics.jsonl}, a periodic evaluation, exact resume, a bad training image skipped
 * and listed, crowd and degenerate annotations counted, results files that the COCO metrics job scores to
 * {@code result.json}'s numbers, and the exported detector evaluating to them again ({@code --eval-only}).
 */
class CocoMaskRcnnJobTest {

    @TempDir
    static Path tmp;
    private static String backbone;
    private static Path root;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RECIPE = """
            task: coco-maskrcnn
            input_size: 64
            batch_size: 2
            iterations: 4
            optimizer: {lr: 0.01, warmup_steps: 2, warmup_factor: 0.1, milestones: [3]}
            model:
              fpn_channels: 32
              anchor_sizes: [8, 16, 32, 64, 128]
              rpn: {pre_nms_top_n_train: 300, pre_nms_top_n_test: 200, post_nms_top_n_train: 150,
                    post_nms_top_n_test: 100, batch_size_per_image: 64}
              roi_heads: {representation: 64, mask_layers: 2, mask_channels: 16, batch_size_per_image: 64,
                          detections_per_image: 20}
            eval: {every: 2, batch_size: 2}
            output: {checkpoint_every: 2, log_every: 1}
            seed: 3
            torch_threads: 1
            """;

    @BeforeAll
    static void data() throws IOException {
        backbone = TinyData.export(tmp.resolve("backbone"));
        root = tmp.resolve("coco");
        TinyCoco.write(root, "train", 6, 64, 64, 11);
        TinyCoco.write(root, "val", 3, 64, 48, 12);
        Files.write(root.resolve("train/000101.png"), new byte[] {1, 2, 3}); // an image that cannot be decoded
    }

    private static CocoMaskRcnnConfig config(Path out) throws IOException {
        return CocoMaskRcnnConfigYaml.parse(new YAMLMapper().readTree(RECIPE), "test.yaml", out.toString());
    }

    private static List<String> losses(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            lines.add(n.get("step") + " " + n.get("loss") + " " + n.get("loss_classifier") + " "
                    + n.get("loss_box_reg") + " " + n.get("loss_mask") + " " + n.get("loss_objectness") + " "
                    + n.get("loss_rpn_box_reg") + " " + n.get("lr"));
        }
        return lines;
    }

    private static List<String> withoutSeconds(Path evals) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(evals)) {
            out.add(((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(l)).without("seconds").toString());
        }
        return out;
    }

    @Test
    void fineTunesResumesExactlyAndWritesScoredResults() throws Exception {
        Path full = tmp.resolve("full");
        FinetuneJob.Outcome a = CocoMaskRcnnJob.run(config(full), backbone, root, FinetuneJob.Options.DEFAULT);
        assertTrue(a.complete());
        JsonNode result = JSON.readTree(full.resolve("result.json").toFile());
        for (String k : new String[] {"bbox_ap", "segm_ap", "bbox_ap50", "segm_ap75"}) {
            double v = result.get("metrics").get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
            assertEquals(a.metrics().get(k), v);
        }
        assertEquals(12, result.get("bbox").get("stats").size());
        assertEquals(12, result.get("segm").get("stats").size());
        assertEquals(4, result.get("iterations").asLong());
        assertEquals(3, result.get("images").asInt());
        // the training data: the crowd and zero-area annotations and the image without any are left out and counted
        JsonNode td = result.get("train_data");
        assertEquals(1, td.get("crowd_annotations").asInt());
        assertEquals(1, td.get("degenerate_boxes").asInt());
        assertEquals(1, td.get("images_without_annotations").asInt());
        assertEquals(5, td.get("used_images").asInt());
        // the undecodable image was skipped (in each epoch) and listed once
        assertEquals(1, result.get("skipped_samples").get("count").asInt());
        assertEquals("101", result.get("skipped_samples").get("samples").get(0).get("id").asText());
        assertTrue(result.get("skipped_samples").get("samples").get(0).get("reason").asText()
                .contains("000101.png"));
        // the five losses by name in every metrics line; one periodic evaluation (step 2; the end is the job's)
        List<String> lines = losses(full);
        assertEquals(4, lines.size());
        assertFalse(lines.get(0).contains("null"), lines.get(0));
        List<String> evals = Files.readAllLines(full.resolve(PeriodicEvaluation.FILE));
        assertEquals(1, evals.size());
        assertEquals(2, JSON.readTree(evals.get(0)).get("step").asInt());

        // the results files score to result.json's numbers with the COCO metrics job (what coco-metrics runs)
        Path gt = root.resolve("annotations/instances_val.json");
        assertArrayEquals(JSON.convertValue(result.get("bbox").get("stats"), double[].class),
                CocoMetricsJob.run(gt, full.resolve(CocoDetectionEvaluation.BOX_RESULTS), IouType.BBOX).stats());
        assertArrayEquals(JSON.convertValue(result.get("segm").get("stats"), double[].class),
                CocoMetricsJob.run(gt, full.resolve(CocoDetectionEvaluation.SEGM_RESULTS), IouType.SEGM).stats());

        // the exported detector evaluates to the same numbers (--eval-only --weights OUT/detector)
        CocoDetectionEvaluation.Output again = EvalOnly.run(full.resolve(CocoMaskRcnnJob.DETECTOR).toString(), root,
                tmp.resolve("eval-only").toString(), 2, 1);
        assertEquals(a.metrics(), DetectionResult.metrics(again));
        assertEquals(Files.readString(full.resolve(CocoDetectionEvaluation.SEGM_RESULTS)),
                Files.readString(tmp.resolve("eval-only").resolve(CocoDetectionEvaluation.SEGM_RESULTS)));

        // interrupted after 3 steps and run again: the same losses, the same result
        Path parts = tmp.resolve("parts");
        FinetuneJob.Outcome first = CocoMaskRcnnJob.run(config(parts), backbone, root,
                new FinetuneJob.Options(false, 3, null));
        assertFalse(first.complete());
        assertEquals(3, first.stepsDone());
        FinetuneJob.Outcome second = CocoMaskRcnnJob.run(config(parts), backbone, root, FinetuneJob.Options.DEFAULT);
        assertTrue(second.complete());
        assertEquals(lines, losses(parts));
        assertEquals(a.metrics(), second.metrics());
        assertEquals(Files.readString(full.resolve(CocoDetectionEvaluation.BOX_RESULTS)),
                Files.readString(parts.resolve(CocoDetectionEvaluation.BOX_RESULTS)));
        assertEquals(withoutSeconds(full.resolve(PeriodicEvaluation.FILE)),
                withoutSeconds(parts.resolve(PeriodicEvaluation.FILE)));
    }

    @Test
    void badInputsAreOneLineErrorsNamingThem() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("nothing"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnJob.run(config(tmp.resolve("o1")), backbone, empty, FinetuneJob.Options.DEFAULT));
        assertTrue(e.getMessage().startsWith("data: no COCO train split under " + empty), e.getMessage());
        IOException io = assertThrows(IOException.class, () -> CocoMaskRcnnJob.run(config(tmp.resolve("o2")),
                tmp.resolve("coco").toString(), root, FinetuneJob.Options.DEFAULT));
        assertTrue(io.getMessage().contains("backbone.json"), io.getMessage());
        Path other = tmp.resolve("other");
        TinyCoco.write(other, "train", 3, 64, 64, 1);
        TinyCoco.write(other, "val", 2, 64, 64, 2);
        String val = Files.readString(other.resolve("annotations/instances_val.json"), StandardCharsets.UTF_8)
                .replace("\"id\":2,\"name\":\"diamond\"", "\"id\":3,\"name\":\"diamond\"");
        Files.writeString(other.resolve("annotations/instances_val.json"), val);
        e = assertThrows(ConfigException.class,
                () -> CocoMaskRcnnJob.run(config(tmp.resolve("o3")), backbone, other, FinetuneJob.Options.DEFAULT));
        assertTrue(e.getMessage().contains("different categories"), e.getMessage());
    }
}
