package org.detcon.core.mask;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compressed COCO RLE string (C {@code rleToString} / {@code rleFrString}): similar to LEB128 but with 6 bits per
 * character (5 value bits plus a continuation bit) mapped to ASCII 48..111. From the fourth count on ({@code i > 2},
 * exactly as in C, not {@code i >= 2}) the value written is {@code counts[i] - counts[i-2]} (signed, 64-bit).
 *
 * <p>Decoding reproduces the C arithmetic bit for bit, including its {@code int} shifts: chunk {@code k} is shifted
 * by {@code 5*k} as a 32-bit {@code int} (x86 masks the shift count to 5 bits, as Java does) and the sign extension is
 * {@code -1 << 5*k}, also a 32-bit shift; the result is truncated to uint32. For counts below 2^29, the only ones a
 * real image produces, this is the plain inverse of encoding.
 */
public final class RleString {

    private RleString() {
    }

    /** {@code rleToString}: the compressed string of {@code rle}'s counts (size not included). */
    public static String encode(Rle rle) {
        int[] cnts = rle.rawCounts();
        int m = cnts.length;
        byte[] s = new byte[Math.max(16, m * 7)];
        int p = 0;
        for (int i = 0; i < m; i++) {
            long x = Integer.toUnsignedLong(cnts[i]);
            if (i > 2) {
                x -= Integer.toUnsignedLong(cnts[i - 2]);
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                c += 48;
                if (p == s.length) {
                    s = Arrays.copyOf(s, s.length * 2);
                }
                s[p++] = (byte) c;
            }
        }
        return new String(s, 0, p, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code rleFrString}: parses a compressed string into counts of an RLE of the given size.
     *
     * @throws IllegalArgumentException if the string contains a character outside the ASCII range 48..111, or ends
     *     in the middle of a value (where C would read past the terminating NUL)
     */
    public static Rle decode(String s, int height, int width) {
        int len = s.length();
        int[] cnts = new int[len];
        int m = 0;
        int p = 0;
        while (p < len) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= len) {
                    throw new IllegalArgumentException("compressed RLE string ends inside a value at position " + p);
                }
                char ch = s.charAt(p);
                if (ch < 48 || ch > 111) {
                    throw new IllegalArgumentException("invalid character '" + ch + "' (code " + (int) ch
                            + ") in compressed RLE string at position " + p);
                }
                int c = ch - 48;
                // C: x |= (c & 0x1f) << 5*k;  -- an int shift, sign-extended to long
                x |= (long) ((c & 0x1f) << (5 * k));
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= (long) (-1 << (5 * k));
                }
            }
            if (m > 2) {
                x += Integer.toUnsignedLong(cnts[m - 2]);
            }
            cnts[m++] = (int) x;
        }
        return Rle.wrap(height, width, Arrays.copyOf(cnts, m));
    }
}
