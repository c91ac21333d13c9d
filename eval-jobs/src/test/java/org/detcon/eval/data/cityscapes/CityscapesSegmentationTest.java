package org.detcon.eval.data.cityscapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.detcon.eval.data.Fixtures;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SegSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityscapesSegmentationTest {

    /** The mapping written out independently (cityscapesScripts labels.py, trainId column). */
    private static final Map<Integer, Integer> OFFICIAL = Map.ofEntries(Map.entry(7, 0), Map.entry(8, 1),
            Map.entry(11, 2), Map.entry(12, 3), Map.entry(13, 4), Map.entry(17, 5), Map.entry(19, 6),
            Map.entry(20, 7), Map.entry(21, 8), Map.entry(22, 9), Map.entry(23, 10), Map.entry(24, 11),
            Map.entry(25, 12), Map.entry(26, 13), Map.entry(27, 14), Map.entry(28, 15), Map.entry(31, 16),
            Map.entry(32, 17), Map.entry(33, 18));

    @Test
    void officialLabelIdToTrainIdMapping() {
        int[] lut = CityscapesLabels.labelIdToTrainId();
        assertEquals(34, lut.length);
        for (int id = 0; id <= 33; id++) {
            assertEquals(OFFICIAL.getOrDefault(id, 255), lut[id], "label id " + id);
            assertEquals(lut[id], CityscapesLabels.trainId(id));
        }
        assertEquals(255, CityscapesLabels.trainId(-1));
        assertThrows(IllegalArgumentException.class, () -> CityscapesLabels.trainId(34));
        assertEquals(35, CityscapesLabels.LABELS.size());
        assertEquals(List.of("road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
                "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
                "motorcycle", "bicycle"), CityscapesLabels.TRAIN_CLASS_NAMES);
        // ignoreInEval is exactly "not a train class" in labels.py
        for (var l : CityscapesLabels.LABELS) {
            assertEquals(l.ignoreInEval(), l.trainId() == 255 || l.trainId() < 0, l.name());
        }
    }

    @Test
    void readsValSplitAsTrainIds() {
        var ds = CityscapesSegmentation.open(Fixtures.path("cityscapes"), "val");
        assertEquals(List.of("frankfurt/frankfurt_000000_000294", "frankfurt/frankfurt_000000_000576",
                "lindau/lindau_000000_000019"), ds.ids());
        int k = 0;
        for (SegSample s : ds) {
            assertEquals(12, s.image().width());
            assertEquals(6, s.image().height());
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 12; x++) {
                    int labelId = (x * 3 + y * 5 + k) % 34;
                    assertEquals(OFFICIAL.getOrDefault(labelId, 255), s.label().label(y, x));
                    for (int c = 0; c < 3; c++) { // PNG: lossless
                        assertEquals(Fixtures.rgbFormula(y, x, k, c), s.image().sample(y, x, c));
                    }
                }
            }
            k++;
        }
        assertEquals(3, k);
        assertEquals(19, ds.numClasses());
        assertEquals(1, CityscapesSegmentation.open(Fixtures.path("cityscapes"), "train").size());
    }

    @Test
    void missingLabelFileOrBadIdNamesTheFile(@TempDir Path tmp) throws Exception {
        Path root = Fixtures.copy("cityscapes", tmp.resolve("cs"));
        Path label = root.resolve("gtFine/val/lindau/lindau_000000_000019_gtFine_labelIds.png");
        Fixtures.writeGray8(label, 12, 6, 200);
        var ds = CityscapesSegmentation.open(root, "val");
        var e = assertThrows(MalformedDataException.class, () -> ds.load(2));
        assertEquals(label, e.file());
        assertTrue(e.getMessage().contains("has 200"), e.getMessage());

        Files.delete(label);
        e = assertThrows(MalformedDataException.class, () -> CityscapesSegmentation.open(root, "val"));
        assertTrue(e.file().toString().endsWith("lindau_000000_000019_leftImg8bit.png"), e.getMessage());
        assertTrue(e.getMessage().contains("gtFine_labelIds"), e.getMessage());
    }
}
