package org.detcon.core.mask;

import java.util.Arrays;

/**
 * Encoding binary masks to {@link Rle} and back (C {@code rleEncode} / {@code rleDecode}).
 *
 * <p>Exactly as in C, encoding compares raw byte values: a new run starts whenever a byte differs from the previous
 * one (the first "previous" being 0). For a proper 0/1 mask this is the usual RLE; masks with other non-zero values
 * (e.g. 255) behave as in pycocotools: {@code [1, 2]} encodes to runs {@code [0, 1, 1]}.
 */
public final class RleCodec {

    private RleCodec() {
    }

    /**
     * Encodes a mask given in column-major order ({@code mask[x * height + y]}), like {@code pycocotools.mask.encode}
     * of a Fortran-ordered array.
     */
    public static Rle encodeColumnMajor(byte[] mask, int height, int width) {
        int a = checkSize(mask.length, height, width);
        int[] cnts = new int[a + 1];
        int k = 0;
        byte p = 0;
        int c = 0;
        for (int j = 0; j < a; j++) {
            byte v = mask[j];
            if (v != p) {
                cnts[k++] = c;
                c = 0;
                p = v;
            }
            c++;
        }
        cnts[k++] = c;
        return Rle.wrap(height, width, Arrays.copyOf(cnts, k));
    }

    /** Encodes a mask given in row-major order ({@code mask[y * width + x]}), e.g. a numpy C-ordered array. */
    public static Rle encodeRowMajor(byte[] mask, int height, int width) {
        int a = checkSize(mask.length, height, width);
        int[] cnts = new int[a + 1];
        int k = 0;
        byte p = 0;
        int c = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0, idx = x; y < height; y++, idx += width) {
                byte v = mask[idx];
                if (v != p) {
                    cnts[k++] = c;
                    c = 0;
                    p = v;
                }
                c++;
            }
        }
        cnts[k++] = c;
        return Rle.wrap(height, width, Arrays.copyOf(cnts, k));
    }

    /** Encodes a boolean mask in row-major order ({@code mask[y * width + x]}). */
    public static Rle encodeRowMajor(boolean[] mask, int height, int width) {
        int a = checkSize(mask.length, height, width);
        int[] cnts = new int[a + 1];
        int k = 0;
        boolean p = false;
        int c = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0, idx = x; y < height; y++, idx += width) {
                if (mask[idx] != p) {
                    cnts[k++] = c;
                    c = 0;
                    p = !p;
                }
                c++;
            }
        }
        cnts[k++] = c;
        return Rle.wrap(height, width, Arrays.copyOf(cnts, k));
    }

    /**
     * Decodes to a 0/1 mask in column-major order ({@code [x * height + y]}).
     *
     * @throws IllegalArgumentException if the counts do not sum to {@code height * width}
     */
    public static byte[] decodeColumnMajor(Rle rle) {
        byte[] out = new byte[checkConsistent(rle)];
        int[] cnts = rle.rawCounts();
        int pos = 0;
        byte v = 0;
        for (int cnt : cnts) {
            if (v != 0) {
                Arrays.fill(out, pos, pos + cnt, (byte) 1);
            }
            pos += cnt;
            v ^= 1;
        }
        return out;
    }

    /**
     * Decodes to a 0/1 mask in row-major order ({@code [y * width + x]}).
     *
     * @throws IllegalArgumentException if the counts do not sum to {@code height * width}
     */
    public static byte[] decodeRowMajor(Rle rle) {
        int a = checkConsistent(rle);
        byte[] out = new byte[a];
        int h = rle.height();
        int w = rle.width();
        int[] cnts = rle.rawCounts();
        int pos = 0;
        boolean v = false;
        for (int cnt : cnts) {
            if (v) {
                for (int j = pos, end = pos + cnt; j < end; j++) {
                    int x = j / h;
                    int y = j - x * h;
                    out[y * w + x] = 1;
                }
            }
            pos += cnt;
            v = !v;
        }
        return out;
    }

    private static int checkSize(int length, int height, int width) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("mask size must be non-negative, got " + height + "x" + width);
        }
        long a = (long) height * width;
        if (a != length) {
            throw new IllegalArgumentException("mask has " + length + " pixels, expected " + a + " for "
                    + height + "x" + width);
        }
        return (int) a;
    }

    private static int checkConsistent(Rle rle) {
        long a = rle.pixelCount();
        if (a > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("mask too large to decode: " + rle.height() + "x" + rle.width());
        }
        if (!rle.isConsistent()) {
            throw new IllegalArgumentException("RLE counts do not sum to " + a + " for " + rle.height() + "x"
                    + rle.width());
        }
        return (int) a;
    }
}
