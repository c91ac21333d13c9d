package org.detcon.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRasterIoTest {

    @Test
    void sixteenBitValuesAboveShortRangeStayUnsigned(@TempDir Path tmp) {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 40000);
        img.getRaster().setSample(2, 0, 0, 7);
        Path f = tmp.resolve("d.png");
        Fixtures.write(img, f);
        IntRaster r = ImageRasterIo.readSingleBand(f, "depth");
        assertEquals(16, r.bitDepth());
        assertFalse(r.palette());
        assertEquals(65535, r.value(0, 0));
        assertEquals(40000, r.value(0, 1));
        assertEquals(7, r.value(0, 2));
    }

    @Test
    void paletteGivesIndicesNotColours() {
        IntRaster r = ImageRasterIo.readSingleBand(Fixtures.path("voc/VOC2012/SegmentationClass/2007_000032.png"),
                "label");
        assertTrue(r.palette());
        assertEquals(8, r.bitDepth());
        assertEquals(255, r.value(0, 9));
        assertEquals((3 + 2 * 2) % 21, r.value(2, 3));
    }

    @Test
    void grayscaleReadAsRgbIsReplicated(@TempDir Path tmp) {
        Path f = tmp.resolve("g.png");
        Fixtures.writeGray8(f, 2, 2, 200);
        var img = ImageRasterIo.readRgb(f);
        assertEquals(3, img.channels());
        assertEquals(200, img.sample(1, 1, 2));
    }

    @Test
    void missingAndUndecodableFiles(@TempDir Path tmp) throws Exception {
        assertThrows(UncheckedIOException.class, () -> ImageRasterIo.readRgb(tmp.resolve("nope.png")));
        Path junk = tmp.resolve("junk.png");
        Files.writeString(junk, "not an image");
        var e = assertThrows(MalformedDataException.class, () -> ImageRasterIo.readSingleBand(junk, "label"));
        assertEquals(junk, e.file());
    }
}
