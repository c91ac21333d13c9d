package org.detcon.eval.data.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.eval.data.Fixtures;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SegSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocSegmentationTest {

    private static final Path ROOT = Fixtures.path("voc/VOC2012");

    /** label formula of the fixture script: (x + 2y + k) % 21, 255 on the last column. */
    private static void assertLabel(SegSample s, int k, int w, int h) {
        assertEquals(w, s.label().width());
        assertEquals(h, s.label().height());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = x == w - 1 ? 255 : (x + 2 * y + k) % 21;
                assertEquals(expected, s.label().label(y, x), s.id() + " (" + x + "," + y + ")");
            }
        }
    }

    private static void assertImageRoughly(SegSample s, int k) {
        assertEquals(3, s.image().channels());
        // JPEG (quality 95) is lossy: compare a smooth channel loosely at a few pixels
        for (int x = 0; x < s.image().width(); x += 3) {
            assertEquals(Fixtures.rgbFormula(2, x, k, 1), s.image().sample(2, x, 1), 24, s.id() + " green at x=" + x);
        }
    }

    @Test
    void readsValSplitFromPalettePngs() {
        VocSegmentation val = VocSegmentation.open(ROOT, VocSegmentation.Split.VAL);
        assertEquals("voc2012/val", val.name());
        assertEquals(List.of("2007_000033"), val.ids());
        SegSample s = val.load(0);
        assertEquals(10, s.image().width());
        assertEquals(7, s.image().height());
        assertLabel(s, 1, 10, 7);
        assertImageRoughly(s, 1);
        assertEquals(21, val.numClasses());
        assertEquals(255, val.ignoreIndex());
        assertEquals("tvmonitor", val.classNames().get(20));
    }

    @Test
    void iteratesTrainLazily() {
        VocSegmentation train = VocSegmentation.open(ROOT, VocSegmentation.Split.TRAIN);
        List<SegSample> seen = new ArrayList<>();
        train.forEach(seen::add);
        assertEquals(2, seen.size());
        assertLabel(seen.get(0), 0, 10, 7);
        assertLabel(seen.get(1), 2, 9, 6);
        assertEquals(3, VocSegmentation.open(ROOT, VocSegmentation.Split.TRAINVAL).stream().count());
    }

    @Test
    void readsTrainAugFromGrayscaleExport() {
        VocSegmentation aug = VocSegmentation.open(ROOT, VocSegmentation.Split.TRAIN_AUG);
        assertEquals(List.of("2007_000032", "2008_000002", "2011_003276"), aug.ids());
        assertTrue(aug.files(2).get(1).toString().contains("SegmentationClassAug"));
        assertLabel(aug.load(2), 3, 10, 7);
        assertImageRoughly(aug.load(2), 3);
    }

    @Test
    void readsDeepLabStylePairList() {
        VocSegmentation pairs = VocSegmentation.open(ROOT, ROOT.resolve("ImageSets/Segmentation/train_aug_pairs.txt"),
                "unused");
        assertEquals(List.of("2008_000002", "2011_003276"), pairs.ids());
        assertLabel(pairs.load(0), 2, 9, 6);
    }

    @Test
    void listEntryWithoutFilesNamesListAndLine(@TempDir Path tmp) throws Exception {
        Path root = Fixtures.copy("voc/VOC2012", tmp.resolve("VOC2012"));
        Path list = root.resolve("ImageSets/Segmentation/val.txt");
        Files.writeString(list, "2007_000033\n2099_999999\n");
        var e = assertThrows(MalformedDataException.class,
                () -> VocSegmentation.open(root, VocSegmentation.Split.VAL));
        assertEquals(list, e.file());
        assertEquals("line 2", e.field());
        assertTrue(e.getMessage().contains("2099_999999") && e.getMessage().contains("JPEGImages"), e.getMessage());
        // image present but label missing
        Files.copy(root.resolve("JPEGImages/2007_000033.jpg"), root.resolve("JPEGImages/2099_999999.jpg"));
        e = assertThrows(MalformedDataException.class, () -> VocSegmentation.open(root, VocSegmentation.Split.VAL));
        assertTrue(e.getMessage().contains("no label file"), e.getMessage());
    }

    @Test
    void labelOfWrongSizeOrValueOrColourModelNamesTheFile(@TempDir Path tmp) {
        Path root = Fixtures.copy("voc/VOC2012", tmp.resolve("VOC2012"));
        Path label = root.resolve("SegmentationClass/2007_000033.png");
        VocSegmentation val = VocSegmentation.open(root, VocSegmentation.Split.VAL);

        Fixtures.writeGray8(label, 10, 8, 0);
        var e = assertThrows(MalformedDataException.class, () -> val.load(0));
        assertEquals(label, e.file());
        assertEquals("label size", e.field());
        assertTrue(e.getMessage().contains("10x8") && e.getMessage().contains("10x7"), e.getMessage());

        Fixtures.writeGray8(label, 10, 7, 37);
        e = assertThrows(MalformedDataException.class, () -> val.load(0));
        assertEquals("label value", e.field());
        assertTrue(e.getMessage().contains("has 37"), e.getMessage());

        Fixtures.writeRgb(label, 10, 7);
        e = assertThrows(MalformedDataException.class, () -> val.load(0));
        assertEquals("label channels", e.field());
    }
}
