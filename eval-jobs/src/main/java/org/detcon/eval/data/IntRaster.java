package org.detcon.eval.data;

/**
 * A single-band integer raster as stored in a file: palette indices for palette PNGs, raw sample values for
 * grayscale PNGs (8 or 16 bit). Row-major; the array is owned by the record.
 *
 * @param bitDepth bits per sample in the file (1, 2, 4, 8 or 16)
 * @param palette  whether the values are palette indices
 */
public record IntRaster(int width, int height, int bitDepth, boolean palette, int[] values) {

    public IntRaster {
        if ((long) width * height != values.length) {
            throw new IllegalArgumentException("raster has " + values.length + " values for " + width + "x" + height);
        }
    }

    public int value(int y, int x) {
        return values[y * width + x];
    }
}
