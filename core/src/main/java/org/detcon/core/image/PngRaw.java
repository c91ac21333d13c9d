package org.detcon.core.image;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The direct decode of the common PNG: 8-bit gray, gray+alpha, RGB or RGBA, not interlaced. The IDAT data is
 * inflated with {@link Inflater} and unfiltered row by row straight into the {@link Image8} samples (alpha
 * dropped), so the pixels are exactly the stored samples, as ImageIO's reader gives them under
 * {@link ImageDecoder}'s rules, at a fraction of its cost (no {@code BufferedImage}, no per-sample raster calls).
 *
 * <p>It runs only after {@link Headers#parsePng} has accepted the chunk list (CRCs, IEND). Anything unusual (other
 * bit depths, palette, interlace, a zlib stream that is damaged or ends before the last row, an unknown filter
 * type) returns null, and the caller decodes with ImageIO, which then reports the error as before.
 */
final class PngRaw {

    private PngRaw() {
    }

    /** Whether this decoder handles the header's variant. */
    static boolean handles(Headers.PngInfo p) {
        return p.bitDepth() == 8 && p.interlace() == 0 && p.colorType() != 3;
    }

    /** The image, or null when the data is not the plain case (the caller then uses ImageIO). */
    static Image8 decode(byte[] d, int len, Headers.PngInfo p) {
        if (!handles(p)) {
            return null;
        }
        int stored = switch (p.colorType()) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> 0;
        };
        if (stored == 0) {
            return null;
        }
        int w = p.width();
        int h = p.height();
        int out = p.grayscale() ? 1 : 3;
        long rowBytesL = (long) w * stored;
        if (rowBytesL + 1 > Integer.MAX_VALUE || (long) w * h * out > Integer.MAX_VALUE - 16) {
            return null;
        }
        int rowBytes = (int) rowBytesL;
        long rawBytes = (rowBytesL + 1) * h;
        if (rawBytes > Integer.MAX_VALUE - 16) {
            return null;
        }
        // all rows inflated at once (few large inflate calls are what zlib is fast at), then unfiltered
        byte[] raw = new byte[(int) rawBytes];
        Inflater inf = new Inflater();
        try {
            if (!new IdatFeed(d, len, inf).fill(raw, raw.length)) {
                return null;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
        byte[] pixels = new byte[w * h * out];
        byte[] prev = new byte[rowBytes];
        byte[] cur = new byte[rowBytes];
        for (int y = 0; y < h; y++) {
            int at = y * (rowBytes + 1);
            System.arraycopy(raw, at + 1, cur, 0, rowBytes);
            if (!unfilter(raw[at], cur, prev, stored)) {
                return null;
            }
            copyRow(cur, pixels, y * w * out, w, stored, out);
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Image8(w, h, out, pixels);
    }

    /**
     * PNG's filters undone in place ({@code bpp} bytes per pixel); false for an unknown filter type. One small
     * method per type, so the JIT compiles only the types a run meets (photos: mostly Paeth) and compiles them fast.
     */
    static boolean unfilter(int type, byte[] cur, byte[] prev, int bpp) {
        switch (type) {
            case 0 -> {
            }
            case 1 -> sub(cur, bpp);
            case 2 -> up(cur, prev);
            case 3 -> average(cur, prev, bpp);
            case 4 -> paeth(cur, prev, bpp);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void sub(byte[] cur, int bpp) {
        for (int i = bpp; i < cur.length; i++) {
            cur[i] = (byte) (cur[i] + cur[i - bpp]);
        }
    }

    private static void up(byte[] cur, byte[] prev) {
        for (int i = 0; i < cur.length; i++) {
            cur[i] = (byte) (cur[i] + prev[i]);
        }
    }

    private static void average(byte[] cur, byte[] prev, int bpp) {
        for (int i = 0; i < bpp; i++) {
            cur[i] = (byte) (cur[i] + ((prev[i] & 0xFF) >>> 1));
        }
        for (int i = bpp; i < cur.length; i++) {
            cur[i] = (byte) (cur[i] + (((cur[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1));
        }
    }

    private static void paeth(byte[] cur, byte[] prev, int bpp) {
        for (int i = 0; i < bpp; i++) {
            cur[i] = (byte) (cur[i] + prev[i]); // Paeth with a = c = 0 is b
        }
        if (bpp == 3) {
            paeth3(cur, prev);
            return;
        }
        for (int i = bpp; i < cur.length; i++) {
            cur[i] = (byte) (cur[i] + PngPaeth.predict(cur[i - bpp] & 0xFF, prev[i] & 0xFF, prev[i - bpp] & 0xFF));
        }
    }

    /**
     * Paeth for RGB rows after the first pixel: the three channels' left and upper-left samples stay in locals,
     * so each byte's dependency is a register, not a store followed by a load of the same byte.
     */
    private static void paeth3(byte[] cur, byte[] prev) {
        int n = cur.length;
        int a0 = cur[0] & 0xFF;
        int a1 = cur[1] & 0xFF;
        int a2 = cur[2] & 0xFF;
        int c0 = prev[0] & 0xFF;
        int c1 = prev[1] & 0xFF;
        int c2 = prev[2] & 0xFF;
        for (int i = 3; i + 2 < n; i += 3) {
            int b0 = prev[i] & 0xFF;
            int b1 = prev[i + 1] & 0xFF;
            int b2 = prev[i + 2] & 0xFF;
            a0 = (cur[i] + PngPaeth.predict(a0, b0, c0)) & 0xFF;
            a1 = (cur[i + 1] + PngPaeth.predict(a1, b1, c1)) & 0xFF;
            a2 = (cur[i + 2] + PngPaeth.predict(a2, b2, c2)) & 0xFF;
            cur[i] = (byte) a0;
            cur[i + 1] = (byte) a1;
            cur[i + 2] = (byte) a2;
            c0 = b0;
            c1 = b1;
            c2 = b2;
        }
    }

    private static void copyRow(byte[] row, byte[] pixels, int o, int w, int stored, int out) {
        if (stored == out) {
            System.arraycopy(row, 0, pixels, o, w * out);
        } else if (out == 3) { // RGBA: alpha dropped
            for (int x = 0, i = 0; x < w; x++, i += 4) {
                pixels[o++] = row[i];
                pixels[o++] = row[i + 1];
                pixels[o++] = row[i + 2];
            }
        } else { // gray + alpha
            for (int x = 0, i = 0; x < w; x++, i += 2) {
                pixels[o++] = row[i];
            }
        }
    }

    /** The concatenated IDAT chunks' data, inflated on demand. */
    private static final class IdatFeed {
        private final byte[] d;
        private final int len;
        private final Inflater inf;
        private int pos = 8;
        private boolean inIdat;

        IdatFeed(byte[] d, int len, Inflater inf) {
            this.d = d;
            this.len = len;
            this.inf = inf;
        }

        /** Fills buf[0, n); false when the data ends first. */
        boolean fill(byte[] buf, int n) throws DataFormatException {
            int got = 0;
            while (got < n) {
                int r = inf.inflate(buf, got, n - got);
                got += r;
                if (r == 0) {
                    if (inf.finished() || inf.needsDictionary()) {
                        return false;
                    }
                    if (inf.needsInput() && !nextIdat()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Feeds the next IDAT chunk's data to the inflater; false when there is none. The IDAT chunks must be
         * consecutive (as PNG requires and ImageIO reads them).
         */
        private boolean nextIdat() {
            while (pos + 12 <= len) {
                int n = (int) (((d[pos] & 0xFFL) << 24) | ((d[pos + 1] & 0xFF) << 16) | ((d[pos + 2] & 0xFF) << 8)
                        | (d[pos + 3] & 0xFF));
                int at = pos;
                if (n < 0 || at + 12L + n > len) {
                    return false;
                }
                pos += 12 + n;
                if (d[at + 4] == 'I' && d[at + 5] == 'D' && d[at + 6] == 'A' && d[at + 7] == 'T') {
                    inIdat = true;
                    if (n > 0) {
                        inf.setInput(d, at + 8, n);
                        return true;
                    }
                } else if (inIdat) {
                    return false;
                }
            }
            return false;
        }
    }
}
