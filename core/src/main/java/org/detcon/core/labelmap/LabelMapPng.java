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
import org.detcon.core.image.PngPaeth;

/**
 * The label-map codec of the shard format: a {@link LabelMap} as a 16-bit grayscale PNG (lossless, labels
 * 0..65535), and back.
 *
 * <p>Encoding is written out directly (no ImageIO): IHDR (bit depth 16, colour type 0, no interlace), the rows
 * filtered with a per-row adaptive filter (the libpng heuristic: the filter type with the least sum of absolute
 * filtered bytes), deflated with {@link Deflater} at a fixed level into IDAT chunks of at most 64 KiB, and IEND.
 * No time or text chunks, so the same label map always gives the same bytes (for a given zlib build). The filter
 * choice sums the five filters' bytes in one pass and writes only the chosen one; the steps are separate small
 * methods, so each is compiled once instead of one large method being recompiled as its branches warm up.
 *
 * <p>Decoding accepts any single-channel PNG: 16-bit or 8-bit (or lower) grayscale, and palette PNGs, whose
 * palette indices are taken as labels (VOC {@code SegmentationClass}, Cityscapes {@code labelIds}). PNGs with
 * colour or alpha channels are refused.
 */
public final class LabelMapPng {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IDAT_MAX = 64 * 1024;
    /** Bytes per pixel of a 16-bit grayscale row: the distance of the "left" neighbour in the PNG filters. */
    private static final int BPP = 2;
    /** Default deflate level: 6, zlib's usual balance of speed and size (and PIL's default for PNG). */
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
        checkLabels(labels, w);
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
        // rows with BPP zero bytes in front: the left neighbour of the first pixel reads 0, as PNG defines it;
        // the row above the first row is all zeros, which is what the filters assume there too
        byte[] prev = new byte[BPP + rowBytes];
        byte[] cur = new byte[BPP + rowBytes];
        byte[] row = new byte[1 + rowBytes];
        Deflater deflater = new Deflater(level);
        IdatWriter idat = new IdatWriter(chunks);
        try {
            for (int y = 0; y < h; y++) {
                packRow(labels, y * w, w, cur);
                int filter = bestFilter(cur, prev, rowBytes);
                applyFilter(filter, cur, prev, rowBytes, row);
                deflater.setInput(row, 0, rowBytes + 1);
                idat.drain(deflater);
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            idat.finish(deflater);
        } finally {
            deflater.end();
        }
        chunks.write("IEND", row, 0, 0);
    }

    private static void checkLabels(int[] labels, int w) {
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (v < 0 || v > LabelMap.MAX_LABEL) {
                throw new IllegalArgumentException("label " + v + " at (y=" + (i / w) + ", x=" + (i % w)
                        + ") is outside 0.." + LabelMap.MAX_LABEL + " and cannot be stored in a 16-bit PNG");
            }
        }
    }

    /** Labels [from, from+w) as big-endian 16-bit samples into row[BPP...]. */
    private static void packRow(int[] labels, int from, int w, byte[] row) {
        for (int x = 0, i = from, o = BPP; x < w; x++, i++, o += 2) {
            int v = labels[i];
            row[o] = (byte) (v >>> 8);
            row[o + 1] = (byte) v;
        }
    }

    /**
     * The libpng heuristic: the filter type (0 none, 1 sub, 2 up, 3 average, 4 Paeth) whose filtered bytes, read as
     * signed, have the least sum of absolute values; the lowest type among equal sums. {@code cur} and {@code prev}
     * hold the row and the one above from index {@link #BPP} on, zeros before.
     */
    private static int bestFilter(byte[] cur, byte[] prev, int rowBytes) {
        long none = 0;
        long sub = 0;
        long up = 0;
        long avg = 0;
        long pae = 0;
        for (int i = BPP, e = BPP + rowBytes; i < e; i++) {
            int x = cur[i] & 0xFF;
            int a = cur[i - BPP] & 0xFF;
            int b = prev[i] & 0xFF;
            int c = prev[i - BPP] & 0xFF;
            none += Math.abs((int) (byte) x);
            sub += Math.abs((int) (byte) (x - a));
            up += Math.abs((int) (byte) (x - b));
            avg += Math.abs((int) (byte) (x - ((a + b) >>> 1)));
            pae += Math.abs((int) (byte) (x - PngPaeth.predict(a, b, c)));
        }
        // the lowest type among equal sums: a later type wins only when strictly smaller
        int best = 0;
        long least = none;
        if (sub < least) {
            best = 1;
            least = sub;
        }
        if (up < least) {
            best = 2;
            least = up;
        }
        if (avg < least) {
            best = 3;
            least = avg;
        }
        return pae < least ? 4 : best;
    }

    /** Writes the filter type byte and the row filtered with it into {@code out}. */
    private static void applyFilter(int filter, byte[] cur, byte[] prev, int rowBytes, byte[] out) {
        out[0] = (byte) filter;
        int e = BPP + rowBytes;
        switch (filter) {
            case 0 -> System.arraycopy(cur, BPP, out, 1, rowBytes);
            case 1 -> {
                for (int i = BPP; i < e; i++) {
                    out[i - 1] = (byte) (cur[i] - cur[i - BPP]);
                }
            }
            case 2 -> {
                for (int i = BPP; i < e; i++) {
                    out[i - 1] = (byte) (cur[i] - prev[i]);
                }
            }
            case 3 -> {
                for (int i = BPP; i < e; i++) {
                    out[i - 1] = (byte) (cur[i] - (((cur[i - BPP] & 0xFF) + (prev[i] & 0xFF)) >>> 1));
                }
            }
            default -> {
                for (int i = BPP; i < e; i++) {
                    out[i - 1] = (byte) (cur[i] - PngPaeth.predict(cur[i - BPP] & 0xFF, prev[i] & 0xFF, prev[i - BPP] & 0xFF));
                }
            }
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Collects deflated bytes into IDAT chunks of at most {@link #IDAT_MAX} bytes. */
    private static final class IdatWriter {
        private final ChunkWriter chunks;
        private final byte[] buf = new byte[IDAT_MAX];
        private int len;

        IdatWriter(ChunkWriter chunks) {
            this.chunks = chunks;
        }

        /** Deflates the input given so far, until the deflater needs more. */
        void drain(Deflater deflater) throws IOException {
            while (!deflater.needsInput()) {
                deflate(deflater);
            }
        }

        /** Finishes the stream and writes the last IDAT chunk. */
        void finish(Deflater deflater) throws IOException {
            deflater.finish();
            while (!deflater.finished()) {
                deflate(deflater);
            }
            if (len > 0) {
                chunks.write("IDAT", buf, 0, len);
                len = 0;
            }
        }

        private void deflate(Deflater deflater) throws IOException {
            len += deflater.deflate(buf, len, IDAT_MAX - len, Deflater.NO_FLUSH);
            if (len == IDAT_MAX) {
                chunks.write("IDAT", buf, 0, len);
                len = 0;
            }
        }
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
