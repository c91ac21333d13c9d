package org.detcon.core.image;

/**
 * PNG's Paeth predictor (PNG spec, filter type 4): of the left ({@code a}), upper ({@code b}) and upper-left
 * ({@code c}) bytes, the one nearest to {@code a + b - c}, ties in the order a, b, c. One home for the PNG decoder
 * ({@link PngRaw}, unfiltering) and the label-map encoder (filtering).
 */
public final class PngPaeth {

    private PngPaeth() {
    }

    /** The predictor of bytes a, b, c (each 0..255), without branches on the data (unpredictable on photos). */
    public static int predict(int a, int b, int c) {
        int pa = Math.abs(b - c); // |p - a| with p = a + b - c
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - c - c);
        int bc = pb <= pc ? b : c;
        return (pa <= pb & pa <= pc) ? a : bc;
    }
}
