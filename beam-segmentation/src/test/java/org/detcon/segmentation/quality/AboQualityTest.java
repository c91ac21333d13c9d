package org.detcon.segmentation.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.detcon.core.coco.CocoCategory;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;
import org.junit.jupiter.api.Test;

class AboQualityTest {

    /** Row-major 0/1 mask of a 4x4 image. */
    private static Rle mask(int... rowMajor) {
        byte[] b = new byte[rowMajor.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) rowMajor[i];
        }
        return RleCodec.encodeRowMajor(b, 4, 4);
    }

    @Test
    void handComputedCase() {
        // ground truth: A = top-left 2x2 (category 1), B = right half (category 2)
        Rle a = mask(
                1, 1, 0, 0,
                1, 1, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0);
        Rle b = mask(
                0, 0, 1, 1,
                0, 0, 1, 1,
                0, 0, 1, 1,
                0, 0, 1, 1);
        // segments: label 0 = left column (4 px), label 1 = the rest (12 px)
        LabelMap m = new LabelMap(4, 4, new int[] {
            0, 1, 1, 1,
            0, 1, 1, 1,
            0, 1, 1, 1,
            0, 1, 1, 1});
        // IoU(A,L0) = 2/6, IoU(A,L1) = 2/14 -> best 1/3; IoU(B,L0) = 0, IoU(B,L1) = 8/12 -> best 2/3
        // grid 2x2: IoU(A, top-left cell) = 1; B: IoU with top-right / bottom-right cells = 4/8 -> best 1/2
        LabelMap grid = new LabelMap(4, 4, new int[] {
            0, 0, 1, 1,
            0, 0, 1, 1,
            2, 2, 3, 3,
            2, 2, 3, 3});
        AboQuality q = new AboQuality(List.of(new CocoCategory(1, "cat", "animal"),
                new CocoCategory(2, "dog", "animal")));
        q.addLabelMaps(List.of(a, b), new int[] {1, 2}, Map.of("fh", m, "grid-2", grid));
        assertEquals(0.5, q.abo("fh"), 1e-12);
        assertEquals(1.0 / 3, q.abo("fh", 1), 1e-12);
        assertEquals(2.0 / 3, q.abo("fh", 2), 1e-12);
        assertEquals(0.75, q.abo("grid-2"), 1e-12);
        ObjectNode j = q.toJson();
        assertEquals(2, j.get("instances").asInt());
        assertEquals(0.5, j.get("mask_sets").get("fh").get("abo").asDouble(), 1e-12);
        assertEquals(2.0 / 3, j.get("mask_sets").get("fh").get("per_category").get("dog").get("abo").asDouble(),
                1e-12);
        assertEquals(4.0, j.get("mask_sets").get("grid-2").get("masks_per_image").asDouble());
        String t = q.table();
        assertTrue(t.contains("grid-2") && t.contains("0.7500"), t);
    }

    @Test
    void labelRlesEqualPerLabelEncoding() {
        Random rnd = new Random(7);
        for (int iter = 0; iter < 50; iter++) {
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(9);
            int k = 1 + rnd.nextInt(5);
            int[] labels = new int[h * w];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = rnd.nextInt(k);
            }
            LabelMap m = new LabelMap(w, h, labels);
            List<Rle> rles = LabelRles.toRles(m);
            int idx = 0;
            for (int l = 0; l < k; l++) {
                byte[] bin = new byte[labels.length];
                boolean any = false;
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] == l) {
                        bin[i] = 1;
                        any = true;
                    }
                }
                if (any) {
                    assertEquals(RleCodec.encodeRowMajor(bin, h, w), rles.get(idx++), "label " + l);
                }
            }
            assertEquals(idx, rles.size());
        }
    }
}
