package org.detcon.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.detcon.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;

/**
 * {@link PngRaw} against ImageIO's reader (the path it replaces) on PNGs built here with every filter type and
 * every 8-bit colour type, split over several IDAT chunks; and its fallback to ImageIO on what it does not handle.
 */
class PngRawTest {

    private static final int[] COLOUR_TYPES = {0, 2, 4, 6};

    @Test
    void sameSamplesAsImageIoForEveryFilterAndColourType() throws Exception {
        Random rnd = new Random(7);
        for (int colourType : COLOUR_TYPES) {
            for (int[] size : new int[][] {{1, 1}, {1, 7}, {5, 1}, {37, 23}, {64, 40}}) {
                for (int filterMode = 0; filterMode <= 5; filterMode++) { // 0-4: one type for all rows; 5: y % 5
                    byte[] raw = smoothRandom(rnd, size[0], size[1], stored(colourType));
                    byte[] png = png(size[0], size[1], colourType, raw, filterMode, 1 + rnd.nextInt(300));
                    assertSame(png, "type " + colourType + " " + size[0] + "x" + size[1] + " filter " + filterMode);
                }
            }
        }
    }

    @Test
    void pixelsAreTheStoredSamplesWithAlphaDropped() throws Exception {
        // 2x1 RGBA, filter None
        byte[] raw = {10, 20, 30, (byte) 255, 40, 50, 60, 0};
        byte[] png = png(2, 1, 6, raw, 0, 100);
        Image8 img = ImageDecoder.withDefaults().decode(png, "t");
        assertEquals(3, img.channels());
        assertArrayEquals(new byte[] {10, 20, 30, 40, 50, 60}, img.pixels());
    }

    @Test
    void leavesOtherVariantsToImageIo() throws Exception {
        assertNull(PngRaw.decode(new byte[0], 0, new Headers.PngInfo(4, 4, 16, 2, 0)));
        assertNull(PngRaw.decode(new byte[0], 0, new Headers.PngInfo(4, 4, 8, 3, 0)));
        assertNull(PngRaw.decode(new byte[0], 0, new Headers.PngInfo(4, 4, 8, 2, 1)));
    }

    @Test
    void damagedImageDataStillFailsAsBefore() throws Exception {
        Random rnd = new Random(3);
        byte[] raw = smoothRandom(rnd, 30, 20, 3);
        // the zlib stream cut short, inside valid chunks: ImageIO's verdict, not a half-decoded image
        byte[] short1 = png(30, 20, 2, Arrays.copyOf(raw, raw.length / 2), 4, 1000, 30, 20);
        assertNull(PngRaw.decode(short1, short1.length, Headers.parsePng(short1, short1.length, "t")));
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.withDefaults().decode(short1, "t"));
        // an unknown filter type
        byte[] bad = png(30, 20, 2, raw, 9, 1000);
        assertNull(PngRaw.decode(bad, bad.length, Headers.parsePng(bad, bad.length, "t")));
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.withDefaults().decode(bad, "t"));
        assertNotNull(e.reason());
        assertEquals(Reason.CORRUPT, e.reason());
    }

    private static void assertSame(byte[] png, String what) throws Exception {
        Headers.PngInfo info = Headers.parsePng(png, png.length, what);
        Image8 direct = PngRaw.decode(png, png.length, info);
        assertNotNull(direct, what);
        Image8 viaImageIo = ImageDecoder.withDefaults().decodePngWithImageIo(png, what);
        assertEquals(viaImageIo.channels(), direct.channels(), what);
        assertEquals(viaImageIo.width(), direct.width(), what);
        assertArrayEquals(viaImageIo.pixels(), direct.pixels(), what);
    }

    private static int stored(int colourType) {
        return switch (colourType) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            default -> 4;
        };
    }

    /** Samples with local correlation (so every filter type sees realistic neighbours) and some noise. */
    private static byte[] smoothRandom(Random rnd, int w, int h, int bpp) {
        byte[] out = new byte[w * h * bpp];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < bpp; c++) {
                    int v = (x * 7 + y * 3 + c * 50 + rnd.nextInt(rnd.nextBoolean() ? 256 : 9)) & 0xFF;
                    out[(y * w + x) * bpp + c] = (byte) v;
                }
            }
        }
        return out;
    }

    private static byte[] png(int w, int h, int colourType, byte[] raw, int filterMode, int idatSize) {
        return png(w, h, colourType, raw, filterMode, idatSize, w, h);
    }

    /** A PNG of the samples {@code raw} (rows of w*bpp bytes), filtered, split into IDAT chunks of idatSize. */
    private static byte[] png(int w, int h, int colourType, byte[] raw, int filterMode, int idatSize, int declaredW,
            int declaredH) {
        int bpp = stored(colourType);
        int rowBytes = w * bpp;
        int rows = raw.length / rowBytes;
        ByteArrayOutputStream filtered = new ByteArrayOutputStream();
        byte[] prev = new byte[rowBytes];
        for (int y = 0; y < rows; y++) {
            byte[] cur = Arrays.copyOfRange(raw, y * rowBytes, (y + 1) * rowBytes);
            int type = filterMode == 5 ? y % 5 : filterMode;
            filtered.write(type);
            for (int i = 0; i < rowBytes; i++) {
                int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
                int b = prev[i] & 0xFF;
                int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                int x = cur[i] & 0xFF;
                int pred = switch (type) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> paeth(a, b, c);
                    default -> 0;
                };
                filtered.write((x - pred) & 0xFF);
            }
            prev = cur;
        }
        Deflater def = new Deflater();
        def.setInput(filtered.toByteArray());
        def.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!def.finished()) {
            z.write(buf, 0, def.deflate(buf));
        }
        def.end();
        byte[] zd = z.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        byte[] ihdr = new byte[13];
        put32(ihdr, 0, declaredW);
        put32(ihdr, 4, declaredH);
        ihdr[8] = 8;
        ihdr[9] = (byte) colourType;
        chunk(out, "IHDR", ihdr);
        for (int o = 0; o < zd.length; o += idatSize) {
            chunk(out, "IDAT", Arrays.copyOfRange(zd, o, Math.min(zd.length, o + idatSize)));
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        put32(len, 0, data.length);
        out.writeBytes(len);
        byte[] td = new byte[4 + data.length];
        System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, td, 0, 4);
        System.arraycopy(data, 0, td, 4, data.length);
        out.writeBytes(td);
        CRC32 crc = new CRC32();
        crc.update(td);
        byte[] c = new byte[4];
        put32(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
