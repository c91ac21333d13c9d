package org.detcon.core.labelmap;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The label-map codec of the shard format: a {@link LabelMap} as a 16-bit grayscale PNG (lossless, labels
 * 0..65535), and back.
 *
 * <p>Encoding is written out directly (no ImageIO): IHDR (bit depth 16, colour type 0, no interlace), the rows
 * filtered with a per-row adaptive filter (the libpng heuristic: the filter type with the least sum of absolute
 * filtered bytes), deflated with {@link Deflater} at a fixed level into IDAT chunks of at most 64 KiB, and IEND.
 * No time or text chunks, so the same label map always gives the same bytes (for a given zlib build).
 *
 * <p>Decoding accepts any single-channel PNG: 16-bit or 8-bit (or lower) grayscale, and palette PNGs, whose
 * palette indices are taken as labels (VOC {@code SegmentationClass}, Cityscapes {@code labelIds}). PNGs with
 * colour or alpha channels are refused.
 */
public final class LabelMapPng {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IDAT_MAX = 64 * 1024;
    /** Default deflate level: 6, zlib's usual balance of speed and size. */
    public static final int DEFAULT_LEVEL = 6;

    private LabelMapPng() {
    }

    /** Encodes at {@link #DEFAULT_LEVEL}. */
    public static byte[] encode(LabelMap map) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(map.labels().length / 4 + 128);
        try {
            encode(map, bos, DEFAULT_LEVEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by ByteArrayOutputStream
        }
        return bos.toByteArray();
    }

    /**
     * Writes {@code map} as a 16-bit grayscale PNG to {@code out} (not closed), deflating at {@code level} (0-9).
     *
     * @throws IllegalArgumentException when a label is negative or above {@link LabelMap#MAX_LABEL}, naming the
     *                                  pixel; nothing has been written to {@code out} then
     */
    public static void encode(LabelMap map, OutputStream out, int level) throws IOException {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level must be 0..9, got " + level);
        }
        int w = map.width();
        int h = map.height();
        int[] labels = map.labels();
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (v < 0 || v > LabelMap.MAX_LABEL) {
                throw new IllegalArgumentException("label " + v + " at (y=" + (i / w) + ", x=" + (i % w)
                        + ") is outside 0.." + LabelMap.MAX_LABEL + " and cannot be stored in a 16-bit PNG");
            }
        }
        if ((long) w * 2 + 1 > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("label map too wide for a PNG row: " + w);
        }
        ChunkWriter chunks = new ChunkWriter(out);
        out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 16; // bit depth
        ihdr[9] = 0;  // colour type: grayscale
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        chunks.write("IHDR", ihdr, 0, ihdr.length);

        int rowBytes = w * 2;
        byte[] prev = new byte[rowBytes];
        byte[] cur = new byte[rowBytes];
        byte[][] filtered = new byte[5][rowBytes + 1];
        Deflater deflater = new Deflater(level);
        byte[] idat = new byte[IDAT_MAX];
        int idatLen = 0;
        try {
            for (int y = 0; y < h; y++) {
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    int v = labels[i];
                    cur[2 * x] = (byte) (v >>> 8);
                    cur[2 * x + 1] = (byte) v;
                }
                byte[] row = filterRow(cur, prev, y == 0, filtered);
                deflater.setInput(row, 0, rowBytes + 1);
                while (!deflater.needsInput()) {
                    idatLen += deflater.deflate(idat, idatLen, IDAT_MAX - idatLen, Deflater.NO_FLUSH);
                    if (idatLen == IDAT_MAX) {
                        chunks.write("IDAT", idat, 0, idatLen);
                        idatLen = 0;
                    }
                }
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            deflater.finish();
            while (!deflater.finished()) {
                idatLen += deflater.deflate(idat, idatLen, IDAT_MAX - idatLen, Deflater.NO_FLUSH);
                if (idatLen == IDAT_MAX) {
                    chunks.write("IDAT", idat, 0, idatLen);
                    idatLen = 0;
                }
            }
            if (idatLen > 0) {
                chunks.write("IDAT", idat, 0, idatLen);
            }
        } finally {
            deflater.end();
        }
        chunks.write("IEND", idat, 0, 0);
    }

    /**
     * Filters one row (2 bytes per pixel) with each of the five PNG filters and returns the one (filter type
     * byte first) whose bytes, read as signed, have the least sum of absolute values.
     */
    private static byte[] filterRow(byte[] cur, byte[] prev, boolean firstRow, byte[][] out) {
        final int bpp = 2;
        int n = cur.length;
        long[] cost = new long[5];
        for (int f = 0; f < 5; f++) {
            out[f][0] = (byte) f;
        }
        for (int i = 0; i < n; i++) {
            int x = cur[i] & 0xFF;
            int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
            int b = firstRow ? 0 : prev[i] & 0xFF;
            int c = (i >= bpp && !firstRow) ? prev[i - bpp] & 0xFF : 0;
            byte none = (byte) x;
            byte sub = (byte) (x - a);
            byte up = (byte) (x - b);
            byte avg = (byte) (x - ((a + b) >>> 1));
            byte paeth = (byte) (x - paeth(a, b, c));
            out[0][i + 1] = none;
            out[1][i + 1] = sub;
            out[2][i + 1] = up;
            out[3][i + 1] = avg;
            out[4][i + 1] = paeth;
            cost[0] += Math.abs((int) none);
            cost[1] += Math.abs((int) sub);
            cost[2] += Math.abs((int) up);
            cost[3] += Math.abs((int) avg);
            cost[4] += Math.abs((int) paeth);
        }
        int best = 0;
        for (int f = 1; f < 5; f++) {
            if (cost[f] < cost[best]) {
                best = f;
            }
        }
        return out[best];
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static final class ChunkWriter {
        private final OutputStream out;
        private final CRC32 crc = new CRC32();
        private final byte[] head = new byte[8];

        ChunkWriter(OutputStream out) {
            this.out = out;
        }

        void write(String type, byte[] data, int off, int len) throws IOException {
            putInt(head, 0, len);
            byte[] t = type.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, head, 4, 4);
            out.write(head, 0, 8);
            out.write(data, off, len);
            crc.reset();
            crc.update(t);
            crc.update(data, off, len);
            byte[] c = new byte[4];
            putInt(c, 0, (int) crc.getValue());
            out.write(c);
        }
    }

    /** Size and pixel format from a PNG's IHDR, read without decoding the image. */
    public record Header(int width, int height, int bitDepth, int colorType) {
        /** True for the label format the encoder writes: 16-bit grayscale. */
        public boolean isGray16() {
            return bitDepth == 16 && colorType == 0;
        }
    }

    /** Reads the IHDR of PNG bytes; {@link IllegalArgumentException} when they do not start like a PNG. */
    public static Header header(byte[] png) {
        if (png.length < 33) {
            throw new IllegalArgumentException("not a PNG: only " + png.length + " bytes");
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new IllegalArgumentException("not a PNG: bad signature");
            }
        }
        if (png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
            throw new IllegalArgumentException("not a PNG: first chunk is not IHDR");
        }
        return new Header(getInt(png, 16), getInt(png, 20), png[24] & 0xFF, png[25] & 0xFF);
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /**
     * Decodes a single-channel PNG (16/8/4/2/1-bit grayscale or palette) into a label map: grey values or palette
     * indices become labels.
     *
     * @throws IOException when the bytes are not a readable PNG or have colour/alpha channels
     */
    public static LabelMap decode(byte[] png) throws IOException {
        Header header;
        try {
            header = header(png);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (header.colorType() != 0 && header.colorType() != 3) {
            throw new IOException("PNG label map must have one channel (grayscale or palette), found colour type "
                    + header.colorType() + " (" + switch (header.colorType()) {
                        case 2 -> "RGB";
                        case 4 -> "grayscale with alpha";
                        case 6 -> "RGBA";
                        default -> "invalid";
                    } + ")");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a readable PNG label map: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("not a readable PNG label map: no PNG reader accepted it");
        }
        // Band 0 of the raw raster holds the grey value or palette index (no colour conversion); a grayscale
        // PNG with a tRNS chunk is decoded with an extra alpha band, which is ignored.
        Raster raster = img.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] labels = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, new int[w * h]);
        return new LabelMap(w, h, labels);
    }

    /** Reads the stream to its end and {@link #decode(byte[]) decodes} it. */
    public static LabelMap decode(InputStream in) throws IOException {
        return decode(in.readAllBytes());
    }
}
