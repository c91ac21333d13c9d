package org.detcon.core.labelmap;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMapPngTest {

    private static final int FW = 37;
    private static final int FH = 13;

    private static LabelMap roundTrip(LabelMap m) throws IOException {
        byte[] png = LabelMapPng.encode(m);
        LabelMapPng.Header h = LabelMapPng.header(png);
        assertEquals(m.width(), h.width());
        assertEquals(m.height(), h.height());
        assertTrue(h.isGray16());
        LabelMap back = LabelMapPng.decode(png);
        assertEquals(m.width(), back.width());
        assertEquals(m.height(), back.height());
        assertArrayEquals(m.labels(), back.labels());
        return back;
    }

    @Test
    void roundTripsExtremesTinyAndOddSizes() throws Exception {
        roundTrip(new LabelMap(1, 1, new int[]{65535}));
        roundTrip(new LabelMap(1, 1, new int[]{0}));
        roundTrip(new LabelMap(3, 1, new int[]{0, 65535, 256}));
        Random r = new Random(42);
        for (int[] wh : new int[][]{{1, 7}, {7, 1}, {17, 9}, {33, 65}, {255, 3}}) {
            int[] labels = new int[wh[0] * wh[1]];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(65536);
            }
            labels[labels.length - 1] = 65535;
            roundTrip(new LabelMap(wh[0], wh[1], labels));
        }
    }

    @Test
    void roundTripsPiecewiseConstantSegmentsCompactly() throws Exception {
        int w = 320;
        int h = 240;
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = (y / 40) * 8 + x / 40 + 1000; // 48 blocks
            }
        }
        LabelMap m = new LabelMap(w, h, labels);
        roundTrip(m);
        assertTrue(LabelMapPng.encode(m).length < 2000, "segment maps compress well");
    }

    @Test
    void encodingIsDeterministic() {
        int[] labels = new Random(7).ints(99 * 31, 0, 300).toArray();
        LabelMap m = new LabelMap(99, 31, labels);
        assertArrayEquals(LabelMapPng.encode(m), LabelMapPng.encode(new LabelMap(99, 31, labels.clone())));
    }

    @Test
    void rejectsLabelsOutside16Bits() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> LabelMapPng.encode(new LabelMap(2, 2, new int[]{0, 1, 2, 65536})));
        assertTrue(big.getMessage().contains("65536") && big.getMessage().contains("y=1, x=1"), big.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> LabelMapPng.encode(new LabelMap(2, 1, new int[]{-1, 0})));
        assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LabelMapPngTest.class.getResourceAsStream("/labelmap/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Fixtures written by tools/interop/make_labelmap_fixtures.py with PIL; formulas as documented there. */
    @Test
    void readsPil16BitGrayExactly() throws Exception {
        byte[] png = resource("pil_u16.png");
        assertTrue(LabelMapPng.header(png).isGray16());
        LabelMap m = LabelMapPng.decode(png);
        assertEquals(FW, m.width());
        assertEquals(FH, m.height());
        for (int i = 0; i < FW * FH; i++) {
            int expected = i == FW * FH - 1 ? 65535 : (int) ((i * 40503L) % 65536);
            assertEquals(expected, m.labels()[i], "pixel " + i);
        }
    }

    @Test
    void readsPil8BitGrayAndPaletteIndices() throws Exception {
        LabelMap g = LabelMapPng.decode(resource("pil_gray8.png"));
        LabelMap p = LabelMapPng.decode(resource("pil_palette.png"));
        for (int i = 0; i < FW * FH; i++) {
            assertEquals((i * 7) % 256, g.labels()[i], "gray pixel " + i);
            assertEquals(i == FW * FH - 1 ? 255 : (i * 3) % 21, p.labels()[i], "palette pixel " + i);
        }
    }

    @Test
    void refusesColourPngsAndGarbage() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", bos);
        IOException e = assertThrows(IOException.class, () -> LabelMapPng.decode(bos.toByteArray()));
        assertTrue(e.getMessage().contains("one channel"), e.getMessage());
        assertThrows(IOException.class, () -> LabelMapPng.decode(new byte[]{1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> LabelMapPng.header(new byte[40]));
    }
}
