package org.detcon.eval.detection.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoImage;
import org.detcon.eval.detection.TinyCoco;
import org.detcon.eval.detection.model.ImageTargets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputTransformTest {

    @TempDir
    Path tmp;

    @Test
    void longerSideBecomesTheInputSize() {
        InputTransform t = new InputTransform(64);
        assertArrayEquals(new int[] {64, 48}, t.resizedSize(100, 75));
        assertArrayEquals(new int[] {21, 64}, t.resizedSize(30, 90));
        assertArrayEquals(new int[] {64, 64}, t.resizedSize(7, 7));
        assertThrows(IllegalArgumentException.class, () -> new InputTransform(50));
    }

    @Test
    void layoutsAreFoundOrNamed() throws Exception {
        TinyCoco.write(tmp.resolve("synth/coco"), "val", 2, 40, 30, 1);
        CocoSplit s = CocoSplit.resolve(tmp.resolve("synth"), "val");
        assertEquals(tmp.resolve("synth/coco/val"), s.images());
        assertEquals(s, CocoSplit.resolve(tmp.resolve("synth/coco"), "val"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CocoSplit.resolve(tmp, "train"));
        assertTrue(e.getMessage().contains("instances_train2017.json"), e.getMessage());
    }

    @Test
    void groundTruthIsScaledFlippedAndFiltered() throws Exception {
        TinyCoco.write(tmp, "train", 4, 80, 60, 7);
        CocoDetectionData data = new CocoDetectionData(CocoSplit.resolve(tmp, "train"), new InputTransform(64));
        CocoDetectionData.Counts c = data.counts();
        assertEquals(4, c.images());
        assertEquals(1, c.crowd());
        assertEquals(1, c.degenerate());
        assertEquals(1, c.imagesWithoutAnnotations());
        assertEquals(3, data.trainImages().size());
        assertEquals(3, data.categories().numClasses());

        CocoImage info = data.trainImages().get(0);
        List<CocoAnnotation> anns = data.dataset().annotationsForImage(info.id());
        DetectionSample plain = data.trainSample(info, false);
        DetectionSample flipped = data.trainSample(info, true);
        assertEquals(48, plain.height());
        assertEquals(64, plain.width());
        ImageTargets t = plain.targets();
        ImageTargets f = flipped.targets();
        assertEquals(anns.size() - 2, t.count()); // crowd and zero-area left out
        float r = 64f / 80f;
        CocoAnnotation first = anns.get(0);
        assertEquals((float) first.bbox()[0] * r, t.boxes()[0], 1e-5);
        assertEquals((float) (first.bbox()[1] + first.bbox()[3]) * (48f / 60f), t.boxes()[3], 1e-5);
        assertEquals(64 - t.boxes()[2], f.boxes()[0], 1e-5);
        assertEquals(data.categories().label(first.categoryId()), t.labels()[0]);
        for (int i = 0; i < t.count(); i++) {
            byte[] m = t.masks().mask(i);
            byte[] mf = f.masks().mask(i);
            assertEquals(48 * 64, m.length);
            int area = 0;
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    assertEquals(m[y * 64 + x], mf[y * 64 + 63 - x], "mirrored mask pixel");
                    area += m[y * 64 + x];
                }
            }
            assertTrue(area > 0, "mask " + i + " is empty");
        }
        // pixels mirror too
        assertEquals(plain.pixels()[5 * 64 + 3], flipped.pixels()[5 * 64 + 60], 1e-6);
        assertNotNull(data.evalSample(info));
    }
}
