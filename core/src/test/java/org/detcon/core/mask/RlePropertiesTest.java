package org.detcon.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-computed cases and properties. */
class RlePropertiesTest {

    @Test
    void handComputedEncodeAndString() {
        // 2x3 mask, row-major:
        // 0 1 1
        // 0 0 1   column-major: 0 0 | 1 0 | 1 1  -> runs [3? no]: 0,0,1,0,1,1 -> [2,1,1,2]
        byte[] row = {0, 1, 1, 0, 0, 1};
        Rle r = RleCodec.encodeRowMajor(row, 2, 3);
        assertArrayEquals(new int[] {2, 1, 1, 2}, r.counts());
        assertEquals(3, r.area());
        assertArrayEquals(new double[] {1, 0, 2, 2}, RleOps.toBbox(r));
        // "2" -> '0'+2 = '2'; 1 -> '1'; 1 -> '1'; 2 - counts[1]... i>2 only: i=3: 2-1 = 1 -> '1'
        assertEquals("2111", RleString.encode(r));
        assertEquals(Rle.empty(2, 3), RleCodec.encodeRowMajor(new byte[6], 2, 3));
        assertArrayEquals(new int[] {0, 6}, RleCodec.encodeRowMajor(new boolean[] {true, true, true, true, true,
            true}, 2, 3).counts());
    }

    @Test
    void handComputedPolygonAndIou() {
        // the unit square [1,3]x[1,3] covers pixels x in {1,2}, y in {1,2} of a 4x4 image
        Rle sq = PolygonRasterizer.rasterize(new double[] {1, 1, 3, 1, 3, 3, 1, 3}, 4, 4);
        assertArrayEquals(new int[] {5, 2, 2, 2, 5}, sq.counts());
        assertEquals(sq, BoxRasterizer.rasterize(new double[] {1, 1, 2, 2}, 4, 4));
        Rle all = Rle.wrap(4, 4, new int[] {0, 16});
        assertEquals(4.0 / 16, MaskIou.iou(sq, all, false));
        assertEquals(1.0, MaskIou.iou(sq, all, true)); // crowd: inter / area(dt)
        assertEquals(4.0 / 16, MaskIou.iou(all, sq, true));
        assertEquals(0.5, MaskIou.bbIou(new double[] {0, 0, 2, 2}, new double[] {0, 0, 4, 2}, false));
        assertEquals(1.0, MaskIou.bbIou(new double[] {0, 0, 2, 2}, new double[] {0, 0, 4, 2}, true));
    }

    @Test
    void randomRoundTripsAndProperties() {
        Random rnd = new Random(1);
        for (int iter = 0; iter < 300; iter++) {
            int h = 1 + rnd.nextInt(25);
            int w = 1 + rnd.nextInt(25);
            double p = rnd.nextDouble();
            byte[] col = new byte[h * w];
            int pop = 0;
            for (int j = 0; j < col.length; j++) {
                col[j] = (byte) (rnd.nextDouble() < p ? 1 : 0);
                pop += col[j];
            }
            Rle r = RleCodec.encodeColumnMajor(col, h, w);
            assertTrue(r.isConsistent());
            assertArrayEquals(col, RleCodec.decodeColumnMajor(r));
            assertEquals(r, RleCodec.encodeRowMajor(RleCodec.decodeRowMajor(r), h, w));
            assertEquals(r, RleString.decode(RleString.encode(r), h, w));
            assertEquals(pop, r.area());

            byte[] col2 = new byte[h * w];
            int inter = 0;
            int uni = 0;
            for (int j = 0; j < col2.length; j++) {
                col2[j] = (byte) (rnd.nextDouble() < p ? 1 : 0);
                inter += col[j] & col2[j];
                uni += col[j] | col2[j];
            }
            Rle r2 = RleCodec.encodeColumnMajor(col2, h, w);
            assertEquals(inter, RleOps.intersection(List.of(r, r2)).area());
            assertEquals(uni, RleOps.union(List.of(r, r2)).area());
            double a = MaskIou.iou(r, r2, false);
            assertEquals(a, MaskIou.iou(r2, r, false), 0.0);
            if (inter > 0) {
                assertEquals((double) inter / uni, a, 0.0);
            }
        }
    }

    @Test
    void mergeEdgeCasesAndInconsistentCounts() {
        assertEquals(0, RleOps.union(new ArrayList<>()).runCount());
        Rle a = Rle.empty(2, 2);
        assertEquals(a, RleOps.union(List.of(a)));
        Rle bad = new Rle(2, 2, new int[] {1, 1});
        assertThrows(IllegalArgumentException.class, () -> RleOps.union(List.of(a, bad)));
        assertThrows(IllegalArgumentException.class, () -> RleCodec.decodeColumnMajor(bad));
        assertThrows(IllegalArgumentException.class, () -> RleString.decode("0a", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> RleString.decode("P", 1, 1));
    }
}
