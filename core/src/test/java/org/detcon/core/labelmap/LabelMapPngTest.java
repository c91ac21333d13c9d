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

    /**
     * The rows as written: every IDAT chunk inflated, each row's filter type and filtered bytes checked against a
     * plain reading of the PNG spec (filter each row all five ways, least sum of absolute signed bytes, lowest type
     * among equals), on images where each of the five types wins somewhere; and ImageIO reads the labels back.
     */
    @Test
    void rowFiltersAreTheLeastAbsoluteSumAndDecode() throws Exception {
        Random r = new Random(11);
        int[] seen = new int[5];
        for (int it = 0; it < 40; it++) {
            int w = 1 + r.nextInt(90);
            int h = 1 + r.nextInt(40);
            int[] labels = new int[w * h];
            for (int y = 0; y < h; y++) {
                int kind = r.nextInt(6);
                for (int x = 0; x < w; x++) {
                    int above = y > 0 ? labels[(y - 1) * w + x] : 0;
                    int left = x > 0 ? labels[y * w + x - 1] : 0;
                    labels[y * w + x] = switch (kind) {
                        case 0 -> r.nextInt(65536);                           // noise
                        case 1 -> (left + 3 + r.nextInt(2)) & 0xFFFF;         // ramps along the row
                        case 2 -> (above + (r.nextInt(8) == 0 ? 1 : 0)) & 0xFFFF; // the row above, nearly
                        case 3 -> ((left + above) / 2 + r.nextInt(2)) & 0xFFFF; // between left and above
                        case 4 -> (left + above - (x > 0 && y > 0 ? labels[(y - 1) * w + x - 1] : 0)) & 0xFFFF;
                        default -> 7;                                           // constant
                    };
                }
            }
            LabelMap m = new LabelMap(w, h, labels);
            byte[] png = LabelMapPng.encode(m);
            byte[] raw = inflateIdat(png);
            assertEquals(h * (1 + 2 * w), raw.length);
            byte[] prev = new byte[2 * w];
            for (int y = 0; y < h; y++) {
                byte[] cur = new byte[2 * w];
                for (int x = 0; x < w; x++) {
                    cur[2 * x] = (byte) (labels[y * w + x] >>> 8);
                    cur[2 * x + 1] = (byte) labels[y * w + x];
                }
                int best = 0;
                long bestSum = Long.MAX_VALUE;
                byte[] bestRow = null;
                for (int f = 0; f < 5; f++) {
                    byte[] fr = referenceFilter(f, cur, prev);
                    long sum = 0;
                    for (byte b : fr) {
                        sum += Math.abs(b);
                    }
                    if (sum < bestSum) {
                        best = f;
                        bestSum = sum;
                        bestRow = fr;
                    }
                }
                int at = y * (1 + 2 * w);
                assertEquals(best, raw[at], "filter type of row " + y + " (image " + it + ")");
                assertArrayEquals(bestRow, java.util.Arrays.copyOfRange(raw, at + 1, at + 1 + 2 * w), "row " + y);
                seen[best]++;
                prev = cur;
            }
            BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(png));
            int[] back = img.getRaster().getSamples(0, 0, w, h, 0, new int[w * h]);
            assertArrayEquals(labels, back, "ImageIO reads the labels (image " + it + ")");
        }
        for (int f = 0; f < 5; f++) {
            assertTrue(seen[f] > 0, "filter type " + f + " chosen somewhere: " + java.util.Arrays.toString(seen));
        }
    }

    /** PNG filter type f of one row (2 bytes a pixel), straight from the spec's definitions. */
    private static byte[] referenceFilter(int f, byte[] cur, byte[] prev) {
        byte[] out = new byte[cur.length];
        for (int i = 0; i < cur.length; i++) {
            int x = cur[i] & 0xFF;
            int a = i >= 2 ? cur[i - 2] & 0xFF : 0;
            int b = prev[i] & 0xFF;
            int c = i >= 2 ? prev[i - 2] & 0xFF : 0;
            int pred = switch (f) {
                case 0 -> 0;
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) / 2;
                default -> {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
            };
            out[i] = (byte) (x - pred);
        }
        return out;
    }

    /** The concatenated IDAT data of a PNG, inflated. */
    private static byte[] inflateIdat(byte[] png) throws Exception {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        int at = 8;
        while (at < png.length) {
            int len = ((png[at] & 0xFF) << 24) | ((png[at + 1] & 0xFF) << 16) | ((png[at + 2] & 0xFF) << 8) | (png[at + 3] & 0xFF);
            String type = new String(png, at + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) {
                z.write(png, at + 8, len);
            }
            at += 12 + len;
        }
        java.util.zip.Inflater inf = new java.util.zip.Inflater();
        inf.setInput(z.toByteArray());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!inf.finished()) {
            int n = inf.inflate(buf);
            if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                throw new IllegalStateException("truncated zlib stream");
            }
            raw.write(buf, 0, n);
        }
        inf.end();
        return raw.toByteArray();
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
