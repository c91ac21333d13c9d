package org.detcon.eval.detection.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.coco.CocoSegmentations;
import org.detcon.core.mask.RleCodec;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.job.CocoMetricsJob;
import org.detcon.eval.coco.job.CocoMetricsResult;
import org.detcon.eval.detection.TinyCoco;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.CocoSplit;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.data.InputTransform;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.model.ImageTargets;
import org.detcon.eval.detection.ops.RoiAlign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoResultsTest {

    @TempDir
    Path tmp;

    @Test
    void boxesMapBackToTheOriginalImageAndMasksBecomeRle() throws Exception {
        TinyCoco.write(tmp, "val", 1, 80, 60, 3);
        CocoDetectionData data = new CocoDetectionData(CocoSplit.resolve(tmp, "val"), new InputTransform(64));
        CocoImage info = data.dataset().images().get(0);
        DetectionSample s = data.evalSample(info); // 48x64, ratio 1.25 both ways
        float[] box = {8, 4, 40, 36};
        float[] mask = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                mask[y * 28 + x] = x < 14 ? 0.9f : 0.1f; // left half of the box
            }
        }
        CocoResults r = new CocoResults(data.categories());
        r.add(s, new Detections(box, new float[] {0.75f}, new int[] {2}, mask, 28));
        CocoDetection b = r.boxResults().get(0);
        assertEquals(2, b.categoryId());
        assertArrayEquals(new double[] {10, 5, 40, 40}, b.bbox(), 1e-5);
        assertEquals(0.75, b.score(), 1e-7);
        CocoSegmentation.CompressedRle rle = (CocoSegmentation.CompressedRle) r.segmResults().get(0).segmentation();
        assertEquals(60, rle.height());
        assertEquals(80, rle.width());
        byte[] m = RleCodec.decodeRowMajor(CocoSegmentations.toRle(rle, 60, 80));
        assertEquals(1, m[20 * 80 + 15]);
        assertEquals(0, m[20 * 80 + 45]);
        assertEquals(0, m[2 * 80 + 15]);
        DetectionSample flipped = new DetectionSample(1, s.pixels(), 48, 64, 60, 80, true, null);
        assertThrows(IllegalArgumentException.class,
                () -> r.add(flipped, new Detections(box, new float[] {0.5f}, new int[] {1}, mask, 28)));
    }

    /**
     * An oracle detector (each ground truth as a detection, its mask RoIAligned to 28×28 as the mask head would
     * predict it) through results, pasting and COCOeval scores AP^bb 1 and AP50/AP75^mk 1; the written files score
     * the same as the in-memory results.
     */
    @Test
    void anOracleScoresNearOneAndTheFilesScoreTheSame() throws Exception {
        TinyCoco.write(tmp, "val", 4, 96, 72, 5, false);
        CocoDetectionData data = new CocoDetectionData(CocoSplit.resolve(tmp, "val"), new InputTransform(64));
        LocalObjectStore out = new LocalObjectStore(tmp.resolve("out"));
        CocoDetectionEvaluation.Output o = CocoDetectionEvaluation.run(batch -> oracle(data, batch), data, 3, out, 1);
        assertEquals(4, o.images());
        assertTrue(o.detections() >= 4);
        assertEquals(1.0, o.bbox().stats()[0], 1e-6, "AP^bb of the oracle");
        // 28x28 masks of 7-20 px objects (the 96x72 images run at 64 px) miss the strictest IoU thresholds: AP^mk
        // 0.79 here, 0.87 at the native size; every mask matches at IoU 0.5 and 0.75
        assertEquals(1.0, o.segm().stats()[1], 1e-6, "AP50^mk of the oracle");
        assertEquals(1.0, o.segm().stats()[2], 1e-6, "AP75^mk of the oracle");
        assertTrue(o.segm().stats()[0] > 0.75, "AP^mk of the oracle: " + o.segm().stats()[0]);
        Path gt = CocoSplit.resolve(tmp, "val").annotations();
        CocoMetricsResult bb = CocoMetricsJob.run(gt, tmp.resolve("out/" + CocoDetectionEvaluation.BOX_RESULTS),
                IouType.BBOX);
        CocoMetricsResult mk = CocoMetricsJob.run(gt, tmp.resolve("out/" + CocoDetectionEvaluation.SEGM_RESULTS),
                IouType.SEGM);
        assertArrayEquals(o.bbox().stats(), bb.stats());
        assertArrayEquals(o.segm().stats(), mk.stats());
        assertTrue(Files.size(tmp.resolve("out/" + CocoDetectionEvaluation.SEGM_RESULTS)) > 0);
    }

    private static List<Detections> oracle(CocoDetectionData data, DetectionBatch batch) {
        List<Detections> out = new ArrayList<>();
        for (DetectionSample s : batch.samples()) {
            CocoImage info = data.dataset().image(s.imageId()).orElseThrow();
            try {
                ImageTargets t = data.trainSample(info, false).targets();
                float[] masks = new float[t.count() * 784];
                float[] scores = new float[t.count()];
                for (int i = 0; i < t.count(); i++) {
                    System.arraycopy(RoiAlign.alignMask(t.masks().mask(i), s.height(), s.width(), t.boxes(), i, 28,
                            2, false), 0, masks, i * 784, 784);
                    scores[i] = 0.9f - 0.01f * i;
                }
                out.add(new Detections(t.boxes(), scores, t.labels(), masks, 28));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }
}
