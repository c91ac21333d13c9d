package org.detcon.core.image;

/** Colour conversions for 4-component JPEGs, matching libjpeg (YCC to RGB) and PIL (CMYK to RGB). */
final class ColorConvert {

    private ColorConvert() {
    }

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    private static final int[] CR_R = new int[256], CB_B = new int[256], CR_G = new int[256], CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) { // libjpeg jdcolor.c build_ycc_rgb_table
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }

    /** Three interleaved bytes per pixel, Y Cb Cr (JFIF full range) to R G B, as libjpeg's ycc_rgb_convert. */
    static void yccToRgbInPlace(byte[] three) {
        for (int s = 0; s + 2 < three.length; s += 3) {
            int y = three[s] & 0xFF, cb = three[s + 1] & 0xFF, cr = three[s + 2] & 0xFF;
            three[s] = (byte) clamp(y + CR_R[cr]);
            three[s + 1] = (byte) clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
            three[s + 2] = (byte) clamp(y + CB_B[cb]);
        }
    }

    /** round(a * b / 255) for a, b in [0, 255]; 255 is odd so there are no ties. */
    static int mulDiv255(int a, int b) {
        return (2 * a * b + 255) / 510;
    }

    /**
     * Four interleaved bytes per pixel as stored in the JPEG (after decompression) to RGB.
     *
     * @param ycck     the first three components are Y, Cb, Cr of (255 - C, 255 - M, 255 - Y) (Adobe transform 2)
     * @param inverted Adobe files store inverted CMYK (0 = full ink), as Photoshop writes them
     */
    static byte[] cmykToRgb(byte[] four, boolean ycck, boolean inverted) {
        int px = four.length / 4;
        byte[] rgb = new byte[px * 3];
        for (int i = 0, s = 0, o = 0; i < px; i++, s += 4, o += 3) {
            int c0 = four[s] & 0xFF, c1 = four[s + 1] & 0xFF, c2 = four[s + 2] & 0xFF, k = four[s + 3] & 0xFF;
            if (ycck) {
                // libjpeg ycck_cmyk_convert: stored C = 255 - R(Y, Cb, Cr), etc.; K passes through
                int y = c0, cb = c1, cr = c2;
                c0 = 255 - clamp(y + CR_R[cr]);
                c1 = 255 - clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                c2 = 255 - clamp(y + CB_B[cb]);
            }
            if (inverted) { // stored value = 255 - ink, so 255 - ink = stored
                rgb[o] = (byte) mulDiv255(c0, k);
                rgb[o + 1] = (byte) mulDiv255(c1, k);
                rgb[o + 2] = (byte) mulDiv255(c2, k);
            } else {
                rgb[o] = (byte) mulDiv255(255 - c0, 255 - k);
                rgb[o + 1] = (byte) mulDiv255(255 - c1, 255 - k);
                rgb[o + 2] = (byte) mulDiv255(255 - c2, 255 - k);
            }
        }
        return rgb;
    }
}
