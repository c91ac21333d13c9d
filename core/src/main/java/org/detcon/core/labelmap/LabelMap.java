package org.detcon.core.labelmap;

import java.util.Objects;

/**
 * A partition of an image into segments: one label in [0, 65535] per pixel, row-major. Labels produced by the
 * mask algorithms are dense (0..segmentCount-1, numbered by first appearance in a raster scan), but a label map
 * read from elsewhere need not be.
 */
public record LabelMap(int width, int height, int[] labels) {

    public static final int MAX_LABEL = 65_535;

    public LabelMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("label map size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(labels, "labels");
        if ((long) width * height != labels.length) {
            throw new IllegalArgumentException("label map has " + labels.length + " labels, expected "
                    + ((long) width * height) + " for " + width + "x" + height);
        }
    }

    public int label(int y, int x) {
        return labels[y * width + x];
    }

    /** Number of distinct labels present. */
    public int segmentCount() {
        int max = -1;
        for (int v : labels) {
            if (v > max) {
                max = v;
            }
        }
        if (max < 0) {
            return 0;
        }
        boolean[] seen = new boolean[max + 1];
        int n = 0;
        for (int v : labels) {
            if (v < 0) {
                throw new IllegalStateException("negative label " + v);
            }
            if (!seen[v]) {
                seen[v] = true;
                n++;
            }
        }
        return n;
    }
}
