package org.detcon.core.labelmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridMasksTest {

    @Test
    void fiveHighBySevenWideWithN2() {
        // H=5, W=7, n=2: rows 0-2 -> cell row 0 (y*2/5 = 0,0,0,1,1); cols 0-3 -> 0 (x*2/7 = 0,0,0,0,1,1,1)
        LabelMap m = GridMasks.grid(2, 7, 5);
        assertArrayEquals(new int[]{
                0, 0, 0, 0, 1, 1, 1,
                0, 0, 0, 0, 1, 1, 1,
                0, 0, 0, 0, 1, 1, 1,
                2, 2, 2, 2, 3, 3, 3,
                2, 2, 2, 2, 3, 3, 3}, m.labels());
    }

    @Test
    void fiveHighBySevenWideWithN3() {
        // rows: y*3/5 = 0,0,1,1,2; cols: x*3/7 = 0,0,0,1,1,2,2
        LabelMap m = GridMasks.grid(3, 7, 5);
        assertArrayEquals(new int[]{
                0, 0, 0, 1, 1, 2, 2,
                0, 0, 0, 1, 1, 2, 2,
                3, 3, 3, 4, 4, 5, 5,
                3, 3, 3, 4, 4, 5, 5,
                6, 6, 6, 7, 7, 8, 8}, m.labels());
        assertEquals(9, m.segmentCount());
    }

    @Test
    void nOneIsAllZeros() {
        LabelMap m = GridMasks.grid(1, 13, 3);
        for (int v : m.labels()) {
            assertEquals(0, v);
        }
    }

    @Test
    void everyCellNonEmptyAndBalancedWhenNFits() {
        int[][] sizes = {{1, 1}, {7, 5}, {5, 7}, {224, 224}, {640, 480}, {33, 100}, {3, 3}};
        for (int[] s : sizes) {
            int w = s[0], h = s[1];
            for (int n = 1; n <= Math.min(Math.min(w, h), 12); n++) {
                LabelMap m = GridMasks.grid(n, w, h);
                int[] count = new int[n * n];
                for (int v : m.labels()) {
                    assertTrue(v >= 0 && v < n * n, "label " + v + " out of range for n=" + n);
                    count[v]++;
                }
                int min = Integer.MAX_VALUE, max = 0;
                for (int c : count) {
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
                assertTrue(min > 0, "empty cell for " + w + "x" + h + " n=" + n);
                // cell height in {floor(H/n), ceil(H/n)} and width likewise
                int hLo = h / n, hHi = (h + n - 1) / n, wLo = w / n, wHi = (w + n - 1) / n;
                assertTrue(min >= hLo * wLo && max <= hHi * wHi, w + "x" + h + " n=" + n + ": " + min + ".." + max);
                assertEquals(n * n, m.segmentCount());
                // each cell is a rectangle: its row and column extents differ from the ideal by at most one pixel
                int[] rowsPerCellRow = new int[n], colsPerCellCol = new int[n];
                for (int y = 0; y < h; y++) {
                    rowsPerCellRow[m.label(y, 0) / n]++;
                }
                for (int x = 0; x < w; x++) {
                    colsPerCellCol[m.label(0, x) % n]++;
                }
                assertBalanced(rowsPerCellRow);
                assertBalanced(colsPerCellCol);
            }
        }
    }

    private static void assertBalanced(int[] counts) {
        int min = Integer.MAX_VALUE, max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        assertTrue(max - min <= 1, "unbalanced: " + java.util.Arrays.toString(counts));
    }

    @Test
    void moreCellsThanPixelsLeavesSomeEmptyButLabelsStayInRange() {
        LabelMap m = GridMasks.grid(5, 3, 2);
        for (int v : m.labels()) {
            assertTrue(v >= 0 && v < 25);
        }
        assertEquals(6, m.segmentCount());
    }

    @Test
    void largeSizesDoNotOverflow() {
        // y * n would overflow int for y ~ 2^31 / n; the long arithmetic keeps the last row in the last cell row
        LabelMap m = GridMasks.grid(256, 1, 9_000_000); // 8_999_999 * 256 > Integer.MAX_VALUE
        assertEquals(255 * 256, m.label(8_999_999, 0));
        assertEquals(128 * 256, m.label(4_500_000, 0));
        assertEquals(0, m.label(0, 0));
    }

    @Test
    void invalidArgumentsHaveClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridMasks.grid(0, 4, 4));
        assertTrue(e.getMessage().contains("n must be >= 1"), e.getMessage());
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GridMasks.grid(-3, 4, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridMasks.grid(257, 4, 4))
                .getMessage().contains("16-bit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridMasks.grid(2, 0, 4))
                .getMessage().contains("0x4"));
    }
}
