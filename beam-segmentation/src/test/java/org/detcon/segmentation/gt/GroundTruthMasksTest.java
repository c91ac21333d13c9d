package org.detcon.segmentation.gt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;
import org.junit.jupiter.api.Test;

class GroundTruthMasksTest {

    // 4 rows x 6 columns
    static final CocoImage IMAGE = new CocoImage(7, "a.jpg", 6, 4);

    static CocoAnnotation ann(long id, int cat, boolean crowd, CocoSegmentation s, double[] bbox) {
        return new CocoAnnotation(id, 7, cat, bbox, 0, crowd, s);
    }

    static CocoSegmentation box(double x0, double y0, double x1, double y1) {
        return new CocoSegmentation.Polygons(new double[][] {{x0, y0, x1, y0, x1, y1, x0, y1}});
    }

    @Test
    void masksInAnnotationOrderWithCrowdFlag() {
        byte[] crowdRows = {
            0, 0, 0, 0, 1, 1,
            0, 0, 0, 0, 1, 1,
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0};
        Rle crowdRle = RleCodec.encodeRowMajor(crowdRows, 4, 6);
        List<CocoAnnotation> anns = List.of(
                ann(10, 1, false, box(0, 0, 3, 2), null),
                ann(11, 2, true, new CocoSegmentation.UncompressedRle(4, 6, crowdRle.counts()), null),
                ann(12, 3, false, null, new double[] {2, 1, 2, 3}),
                ann(13, 1, false, new CocoSegmentation.CompressedRle(4, 6, crowdRle.toCocoString()), null));
        List<GtMask> masks = GroundTruthMasks.masks(IMAGE, anns);
        assertEquals(4, masks.size());
        assertEquals(List.of(10L, 11L, 12L, 13L), masks.stream().map(GtMask::annotationId).toList());
        assertEquals(6, masks.get(0).area());
        assertTrue(masks.get(1).iscrowd());
        assertFalse(masks.get(2).iscrowd());
        assertEquals(6, masks.get(2).area()); // box 2x3 from bbox fallback
        assertEquals(crowdRle, masks.get(1).mask());
        assertEquals(crowdRle, masks.get(3).mask());
    }

    @Test
    void labelMapLaterAnnotationsWinAndLabelsAreDense() {
        List<CocoAnnotation> anns = List.of(
                ann(10, 1, false, box(0, 0, 3, 2), null),   // cols 0-2, rows 0-1
                ann(11, 5, false, box(1, 1, 2, 2), null),   // pixel (row 1, col 1): fully covered by 12 below
                ann(12, 3, false, box(1, 1, 4, 3), null),   // cols 1-3, rows 1-2
                ann(13, 4, true, box(5, 0, 6, 4), null));   // crowd, col 5
        List<GtMask> masks = GroundTruthMasks.masks(IMAGE, anns);
        GtLabelMap withoutCrowd = GroundTruthMasks.toLabelMap(masks, 4, 6, false);
        assertArrayEquals(new int[] {
            1, 1, 1, 0, 0, 0,
            1, 2, 2, 2, 0, 0,
            0, 2, 2, 2, 0, 0,
            0, 0, 0, 0, 0, 0}, withoutCrowd.labelMap().labels());
        assertArrayEquals(new long[] {10, 12}, withoutCrowd.annotationIds());
        assertArrayEquals(new int[] {1, 3}, withoutCrowd.categoryIds());
        GtLabelMap withCrowd = GroundTruthMasks.toLabelMap(masks, 4, 6, true);
        assertArrayEquals(new long[] {10, 12, 13}, withCrowd.annotationIds());
        assertEquals(3, withCrowd.labelMap().label(3, 5));
        assertEquals(4, withCrowd.labelCount());
    }

    @Test
    void rejectsWrongImageAndSize() {
        assertThrows(IllegalArgumentException.class, () -> GroundTruthMasks.masks(IMAGE,
                List.of(new CocoAnnotation(1, 8, 1, null, 0, false, box(0, 0, 1, 1)))));
        assertThrows(IllegalArgumentException.class, () -> GroundTruthMasks.masks(IMAGE,
                List.of(ann(1, 1, true, new CocoSegmentation.UncompressedRle(3, 3, new int[] {9}), null))));
        assertThrows(IllegalArgumentException.class, () -> GroundTruthMasks.masks(IMAGE,
                List.of(ann(1, 1, false, null, null))));
        assertThrows(IllegalArgumentException.class, () -> GroundTruthMasks.masks(IMAGE,
                List.of(ann(1, 1, true, new CocoSegmentation.UncompressedRle(4, 6, new int[] {3}), null))));
    }
}
