package org.detcon.core.labelmap;

/**
 * The DetCon "spatial heuristic" masks: an {@code n x n} grid of (near-)equal cells over the image.
 *
 * <p>Pixel (y, x) gets label {@code floor(y * n / H) * n + floor(x * n / W)}, so labels run 0 .. n²-1 in raster order
 * of the cells (row-major, top-left first). Cell rows/columns differ in size by at most one pixel. When
 * {@code n > min(H, W)} some cells are empty (their labels do not occur); the label map is then not dense.
 */
public final class GridMasks {

    /** Largest n whose labels (n² - 1) fit a 16-bit label map. */
    public static final int MAX_N = 256;

    private GridMasks() {
    }

    /**
     * The n x n grid label map for a {@code width x height} image.
     *
     * @throws IllegalArgumentException if {@code n < 1}, {@code n > 256} (labels would exceed 65535), or the size is
     *                                  not positive
     */
    public static LabelMap grid(int n, int width, int height) {
        if (n < 1) {
            throw new IllegalArgumentException("grid size n must be >= 1 (n x n cells), got " + n);
        }
        if (n > MAX_N) {
            throw new IllegalArgumentException("grid size n must be <= " + MAX_N + " so that the n*n labels fit "
                    + "a 16-bit label map, got " + n);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image " + width + "x" + height + " has too many pixels for a label map");
        }
        int[] colCell = new int[width];
        for (int x = 0; x < width; x++) {
            colCell[x] = (int) ((long) x * n / width);
        }
        int[] labels = new int[width * height];
        for (int y = 0; y < height; y++) {
            int rowBase = (int) ((long) y * n / height) * n;
            int o = y * width;
            for (int x = 0; x < width; x++) {
                labels[o + x] = rowBase + colCell[x];
            }
        }
        return new LabelMap(width, height, labels);
    }
}
