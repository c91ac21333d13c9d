package org.detcon.eval.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.detcon.core.image.Image8;
import org.detcon.trainer.augment.ColorOps;
import org.junit.jupiter.api.Test;

/** Hand-computed resampling: the halving is a 2x2 mean for images and picks a pixel for targets; padding; flip. */
class ResampleTest {

    /** A one-channel-looking RGB image whose value at (y, x) is v[y][x] in every channel. */
    private static Image8 gray(int[][] v) {
        int h = v.length;
        int w = v[0].length;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = (byte) v[y][x];
                }
            }
        }
        return new Image8(w, h, 3, px);
    }

    @Test
    void halvingAveragesImagesAndPicksTargets() {
        Image8 im = gray(new int[][] {{0, 10, 20, 30}, {40, 50, 60, 70}});
        Resample r = Resample.of(4, 2, 0.5, 0, 0, 2, 1, false);
        float[] out = r.image(im);
        assertEquals(25 / 255f, out[0], 1e-6f);   // (0 + 10 + 40 + 50) / 4
        assertEquals(45 / 255f, out[1], 1e-6f);   // (20 + 30 + 60 + 70) / 4
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        assertArrayEquals(new int[] {5, 7}, r.nearest(labels, 255)); // floor((x + 1/2) * 2) = 2x + 1, row 1
    }

    @Test
    void paddingAndFlip() {
        Image8 im = gray(new int[][] {{100, 200}});
        Resample r = new Resample(2, 1, 2, 1, 0, 0, 3, 2, true);
        float[] out = r.image(im);
        // row 0 flipped: [pad, 200, 100]; row 1: padding
        assertEquals(ColorOps.IMAGENET_MEAN[0], out[0], 0);
        assertEquals(200 / 255f, out[1], 1e-6f);
        assertEquals(100 / 255f, out[2], 1e-6f);
        assertEquals(ColorOps.IMAGENET_MEAN[1], out[6 + 4], 0);
        assertArrayEquals(new int[] {255, 2, 1, 255, 255, 255}, r.nearest(new int[] {1, 2}, 255));
    }
}
