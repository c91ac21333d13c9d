package org.detcon.core.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CocoReaderTest {

    static Path resource(String name) {
        try {
            return Path.of(CocoReaderTest.class.getResource("/coco/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsInstancesFile() throws Exception {
        CocoDataset ds = CocoReader.read(resource("instances_tiny.json"));
        assertEquals(3, ds.images().size());
        assertEquals(new CocoImage(397133, "000000397133.jpg", 16, 12), ds.images().get(0));
        assertEquals(List.of(new CocoCategory(1, "person", "person"), new CocoCategory(44, "bottle", "kitchen")),
                ds.categories());
        assertEquals(5, ds.annotations().size());

        CocoAnnotation a0 = ds.annotations().get(0);
        assertEquals(82445, a0.id());
        assertEquals(397133, a0.imageId());
        assertEquals(44, a0.categoryId());
        assertArrayEquals(new double[] {1.5, 1.0, 8.7, 8.5}, a0.bbox());
        assertEquals(63.11, a0.area());
        assertFalse(a0.iscrowd());
        CocoSegmentation.Polygons p0 = assertInstanceOf(CocoSegmentation.Polygons.class, a0.segmentation());
        assertArrayEquals(new double[] {1.5, 1.25, 9.75, 1.0, 10.2, 8.9, 2.0, 9.5}, p0.polygons()[0]);

        CocoAnnotation crowd = ds.annotations().get(2);
        assertEquals(900100397133L, crowd.id());
        assertTrue(crowd.iscrowd());
        assertEquals(new CocoSegmentation.UncompressedRle(12, 16, new int[] {14, 3, 9, 3, 9, 4, 8, 4, 138}),
                crowd.segmentation());
        assertEquals(new CocoSegmentation.CompressedRle(6, 5, "61g0"), ds.annotations().get(3).segmentation());
        assertFalse(ds.annotations().get(4).iscrowd()); // "iscrowd": false, unknown fields skipped

        assertEquals(List.of(ds.annotations().get(0), ds.annotations().get(2), ds.annotations().get(4)),
                ds.annotationsForImage(397133));
        assertEquals(List.of(), ds.annotationsForImage(5));
        assertEquals("bottle", ds.category(44).orElseThrow().name());
        assertTrue(ds.category(2).isEmpty());
        assertEquals(8, ds.image(37777).orElseThrow().width());
        assertArrayEquals(new int[] {1, 44}, ds.categoryIds());
    }

    @Test
    void segmentationsToRle() throws Exception {
        CocoDataset ds = CocoReader.read(resource("instances_tiny.json"));
        CocoAnnotation crowd = ds.annotations().get(2);
        Rle r = CocoSegmentations.toRle(crowd.segmentation(), 12, 16);
        assertEquals(new Rle(12, 16, new int[] {14, 3, 9, 3, 9, 4, 8, 4, 138}), r);
        assertEquals(14, r.area());
        Rle c = CocoSegmentations.toRle(ds.annotations().get(3).segmentation(), 6, 5);
        assertEquals(new Rle(6, 5, new int[] {6, 1, 23}), c);
        Rle sq = CocoSegmentations.toRle(ds.annotations().get(4).segmentation(), 12, 16);
        assertEquals(9, sq.area());
        assertEquals(Rle.empty(3, 4), CocoSegmentations.toRle(new CocoSegmentation.Polygons(new double[0][]), 3, 4));
    }

    @Test
    void readsResultsFile() throws Exception {
        List<CocoDetection> dets = CocoResultsReader.read(resource("results_tiny.json"));
        assertEquals(3, dets.size());
        assertArrayEquals(new double[] {1.25, 1.0, 8.5, 8.25}, dets.get(0).bbox());
        assertNull(dets.get(0).segmentation());
        assertEquals(0.973, dets.get(0).score());
        CocoSegmentation.CompressedRle s = assertInstanceOf(CocoSegmentation.CompressedRle.class,
                dets.get(1).segmentation());
        assertEquals(new Rle(12, 16, new int[] {14, 3, 9, 3, 9, 4, 8, 4, 138}), RleString.decode(s.counts(), 12, 16));
        assertNull(dets.get(1).bbox());
        assertEquals(2, dets.get(2).index());
        assertEquals(1e-3, dets.get(2).score());
        assertInstanceOf(CocoSegmentation.Polygons.class, dets.get(2).segmentation());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "truncated.json|annotations[0] (id 7)|unexpected end of file",
        "syntax.json|images|invalid JSON",
        "top_level_array.json||expected a JSON object at the top level",
        "annotations_not_array.json|annotations|expected an array",
        "image_missing_width.json|images[0] (id 1), field 'width'|missing required field",
        "annotation_missing_image_id.json|annotations[1] (id 8), field 'image_id'|missing required field",
        "bbox_three_numbers.json|annotations[0] (id 42), field 'bbox'|expected 4 numbers",
        "segmentation_string.json|annotations[0] (id 42), field 'segmentation'|expected a list of polygons",
        "polygon_not_number.json|annotations[0] (id 42), field 'segmentation[1]'|expected a number",
        "rle_without_size.json|annotations[0] (id 42), field 'segmentation.size'|without size",
        "rle_negative_count.json|annotations[0] (id 42), field 'segmentation.counts'|out of uint32 range",
        "iscrowd_two.json|annotations[0] (id 42), field 'iscrowd'|expected 0 or 1",
        "category_missing_id.json|categories[0], field 'id'|missing required field",
        "image_id_fractional.json|annotations[0] (id 42), field 'image_id'|expected an integer",
    })
    void malformedInstancesNameFileElementAndField(String file, String where, String what) {
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoReader.read(resource("malformed/" + file)));
        assertMessage(e, file, where, what);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "results_missing_score.json|[0] (image_id 1), field 'score'|missing required field",
        "results_no_bbox_or_segmentation.json|[0] (image_id 1), field 'bbox'|needs bbox or segmentation",
        "results_top_level_object.json||expected a JSON array",
        "results_bbox_string.json|[1] (image_id 4), field 'bbox'|expected an array of numbers",
        "results_counts_number.json|[0] (image_id 3), field 'segmentation.counts'|expected an array of counts",
    })
    void malformedResultsNameFileElementAndField(String file, String where, String what) {
        CocoFormatException e = assertThrows(CocoFormatException.class,
                () -> CocoResultsReader.read(resource("malformed/" + file)));
        assertMessage(e, file, where, what);
    }

    private static void assertMessage(CocoFormatException e, String file, String where, String what) {
        String m = e.getMessage();
        assertTrue(m.contains(file), m);
        if (where != null) {
            assertTrue(m.contains(where), m);
        }
        assertTrue(m.contains(what), m);
        assertTrue(m.contains("line "), m);
    }
}
