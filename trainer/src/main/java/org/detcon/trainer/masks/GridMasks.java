package org.detcon.trainer.masks;

import org.detcon.core.labelmap.LabelMap;

/**
 * n×n grid masks made on the fly (no shard needed): pixel (y, x) of a W×H image gets label
 * ⌊y·n/H⌋·n + ⌊x·n/W⌋. Made at the original image's resolution, so crops and flips move them like any label map.
 * n = 1 is the global mask (DetCon_S then becomes SimCLR).
 */
public final class GridMasks {

    private GridMasks() {
    }

    public static LabelMap labelMap(int width, int height, int n) {
        if (n <= 0 || n > width || n > height) {
            throw new IllegalArgumentException("grid n must be in [1, min(w, h)], got " + n);
        }
        int[] labels = new int[width * height];
        for (int y = 0; y < height; y++) {
            int row = (int) ((long) y * n / height) * n;
            for (int x = 0; x < width; x++) {
                labels[y * width + x] = row + (int) ((long) x * n / width);
            }
        }
        return new LabelMap(width, height, labels);
    }
}
