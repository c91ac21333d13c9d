package org.detcon.eval.detection.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.eval.detection.TinyCoco;
import org.detcon.eval.detection.TinyDetector;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.CocoSplit;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.InputTransform;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.detection.train.MaskRcnnTrainer;
import org.detcon.eval.finetune.BackboneMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --eval-only --weights}: a detector exported after a few steps, loaded back and evaluated on val. */
class EvalOnlyTest {

    @TempDir
    Path tmp;

    @Test
    void anExportedDetectorLoadsBackAndIsEvaluated() throws Exception {
        Path root = tmp.resolve("coco");
        TinyCoco.write(root, "train", 3, 64, 64, 1);
        TinyCoco.write(root, "val", 3, 64, 48, 2);
        CocoDetectionData train = new CocoDetectionData(CocoSplit.resolve(root, "train"), new InputTransform(64));
        CocoDetectionData val = new CocoDetectionData(CocoSplit.resolve(root, "val"), new InputTransform(64));
        DetectorTrainConfig cfg = TinyDetector.train(train.categories().numClasses(), BackboneMode.FINETUNE, 0.01, 2);
        LocalObjectStore export = new LocalObjectStore(tmp.resolve("detector"));
        DetectionBatch probe = new DetectionBatch(List.of(val.evalSample(val.dataset().images().get(0))), 64);
        List<Detections> expected;
        try (MaskRcnnTrainer t = new MaskRcnnTrainer(cfg, null, "h")) {
            for (int s = 0; s < 3; s++) {
                t.step(TinyDetector.batch(train, s, 2, s == 1));
            }
            expected = t.detect(probe);
            DetectorExport.write(export, t, train.categories().categoryIds(), "abc");
        }
        try (DetectorExport.Loaded d = DetectorExport.load(export)) {
            assertEquals(3, d.descriptor().step());
            List<Detections> again = d.detect(probe);
            assertArrayEquals(expected.get(0).scores(), again.get(0).scores());
            assertArrayEquals(expected.get(0).boxes(), again.get(0).boxes());
        }

        CocoDetectionEvaluation.Output o = EvalOnly.run(tmp.resolve("detector").toString(), root,
                tmp.resolve("out").toString(), 2, 1);
        assertEquals(3, o.images());
        JsonNode result = new ObjectMapper().readTree(tmp.resolve("out/result.json").toFile());
        assertEquals(12, result.get("bbox").get("stats").size());
        assertEquals(12, result.get("segm").get("stats").size());
        assertEquals("abc", result.get("backbone_sha256").asText());
        assertEquals(3, result.get("iterations").asLong());
        assertTrue(Files.exists(tmp.resolve("out/bbox_results.json")));
        assertTrue(Files.exists(tmp.resolve("out/segm_results.json")));

        // damaged weights are refused
        Files.write(tmp.resolve("detector/detector.npz"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> DetectorExport.load(export));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }
}
