package org.detcon.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.junit.jupiter.api.Test;

class ViewPipelineTest {

    private static final int W = 120;
    private static final int H = 90;
    private static final int[][] COLOURS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}, {0, 255, 255}};

    /** Label = which region; the image paints each region with its own colour. */
    private static int region(int y, int x) {
        if (x >= 50 && x < 70 && y >= 30 && y < 60) {
            return 4; // a small box in the middle
        }
        return (y < 45 ? 0 : 2) + (x < 60 ? 0 : 1);
    }

    private static LabelMap labels() {
        int[] l = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                l[y * W + x] = region(y, x);
            }
        }
        return new LabelMap(W, H, l);
    }

    private static Image8 image() {
        byte[] p = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] c = COLOURS[region(y, x)];
                for (int k = 0; k < 3; k++) {
                    p[(y * W + x) * 3 + k] = (byte) c[k];
                }
            }
        }
        return new Image8(W, H, 3, p);
    }

    private static ViewConfig geometry(int size) {
        return ViewConfig.byolView1().geometryOnly().withOutputSize(size);
        // normalisation stays on in the config; tests below undo it where they compare colours
    }

    @Test
    void cropAndFlipMoveTheMaskWithTheImage() {
        Image8 img = image();
        LabelMap lab = labels();
        int s = 64;
        ViewPipeline p = new ViewPipeline(geometry(s));
        int flipped = 0;
        long checked = 0;
        for (int seed = 0; seed < 40; seed++) {
            View v = p.apply(img, List.of(lab), new SplittableRandom(seed));
            CropWindow c = v.crop();
            assertTrue(c.x() >= 0 && c.y() >= 0 && c.x() + c.w() <= W && c.y() + c.h() <= H, c.toString());
            flipped += v.flipped() ? 1 : 0;
            LabelMap out = v.labelMaps().get(0);
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    int jj = v.flipped() ? s - 1 - j : j; // output column before the flip
                    int sx = Resize.nearestIndex(c.x(), c.w(), s, jj);
                    int sy = Resize.nearestIndex(c.y(), c.h(), s, i);
                    int label = out.label(i, j);
                    assertEquals(lab.label(sy, sx), label);
                    if (uniformAround(lab, sy, sx, c)) { // every bicubic tap is inside one region
                        for (int k = 0; k < 3; k++) {
                            float x = v.pixels()[k * s * s + i * s + j] * ColorOps.IMAGENET_STD[k]
                                    + ColorOps.IMAGENET_MEAN[k];
                            assertEquals(COLOURS[label][k] / 255f, x, 1e-5f, "seed " + seed + " at " + i + "," + j);
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(flipped > 5 && flipped < 35, "flips: " + flipped);
        assertTrue(checked > 40L * s * s / 2, "checked " + checked);
    }

    private static boolean uniformAround(LabelMap m, int y, int x, CropWindow c) {
        int l = m.label(y, x);
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int yy = Math.max(c.y(), Math.min(c.y() + c.h() - 1, y + dy));
                int xx = Math.max(c.x(), Math.min(c.x() + c.w() - 1, x + dx));
                if (m.label(yy, xx) != l) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void flipMirrorsImageAndMask() {
        Image8 img = image();
        LabelMap lab = labels();
        CropWindow all = new CropWindow(0, 0, W, H);
        LabelMap a = Resize.nearest(lab, all, 32, false);
        LabelMap b = Resize.nearest(lab, all, 32, true);
        float[] ia = Resize.bicubic(img, all, 32, false);
        float[] ib = Resize.bicubic(img, all, 32, true);
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                assertEquals(a.label(i, j), b.label(i, 31 - j));
                for (int k = 0; k < 3; k++) {
                    assertEquals(ia[k * 1024 + i * 32 + j], ib[k * 1024 + i * 32 + 31 - j], 0f);
                }
            }
        }
        // the box (label 4) is left of centre-right: x in [50, 70) of 120 -> columns ~13..18 unflipped
        assertEquals(4, a.label(16, 15));
        assertEquals(4, b.label(16, 31 - 15));
    }

    @Test
    void colourOperationsNeverTouchTheMask() {
        Image8 img = image();
        List<LabelMap> maps = List.of(labels(), labels()); // e.g. two masks of an overlapping set
        for (ViewConfig full : new ViewConfig[] {ViewConfig.byolView1(), ViewConfig.byolView2(),
            ViewConfig.simclr()}) {
            ViewConfig cfg = full.withOutputSize(48);
            int differ = 0;
            for (int seed = 0; seed < 20; seed++) {
                View withColour = new ViewPipeline(cfg).apply(img, maps, new SplittableRandom(seed));
                View without = new ViewPipeline(cfg.geometryOnly()).apply(img, maps, new SplittableRandom(seed));
                assertEquals(without.crop(), withColour.crop());
                assertEquals(without.flipped(), withColour.flipped());
                for (int k = 0; k < 2; k++) {
                    assertArrayEquals(without.labelMaps().get(k).labels(), withColour.labelMaps().get(k).labels());
                }
                if (!java.util.Arrays.equals(without.pixels(), withColour.pixels())) {
                    differ++;
                }
            }
            assertTrue(differ >= 15, "colour ops should change most images: " + differ);
        }
    }

    @Test
    void seededAndDeterministic() {
        View a = new ViewPipeline(ViewConfig.byolView2().withOutputSize(40)).apply(image(), List.of(labels()),
                new SplittableRandom(9));
        View b = new ViewPipeline(ViewConfig.byolView2().withOutputSize(40)).apply(image(), List.of(labels()),
                new SplittableRandom(9));
        assertArrayEquals(a.pixels(), b.pixels(), 0f);
        assertEquals(3 * 40 * 40, a.pixels().length);
    }

    @Test
    void rejectsMismatchedLabelMap() {
        assertThrows(IllegalArgumentException.class, () -> new ViewPipeline(ViewConfig.byolView1())
                .apply(image(), List.of(new LabelMap(10, 10, new int[100])), new SplittableRandom(1)));
    }

    @Test
    void cropDistributions() {
        SplittableRandom rng = new SplittableRandom(5);
        double minFrac = 1;
        double maxFrac = 0;
        for (int i = 0; i < 2000; i++) {
            CropWindow c = CropWindow.sample(400, 300, ViewConfig.simclr(), rng);
            assertTrue(c.x() >= 0 && c.y() >= 0 && c.x() + c.w() <= 400 && c.y() + c.h() <= 300);
            double frac = c.w() * (double) c.h() / (400 * 300);
            double aspect = c.w() / (double) c.h();
            minFrac = Math.min(minFrac, frac);
            maxFrac = Math.max(maxFrac, frac);
            if (!(c.w() == 300 * 4 / 3 && c.h() == 300)) { // not the fallback
                assertTrue(aspect > 0.74 && aspect < 1.34, "aspect " + aspect);
            }
        }
        assertTrue(minFrac < 0.1 && minFrac >= 0.075, "min " + minFrac);
        assertTrue(maxFrac > 0.9, "max " + maxFrac);
        // SimCLR fallback: a very wide image cannot fit large crops -> center crop with aspect 4/3
        assertEquals(new CropWindow(433, 0, 133, 100), CropWindow.center(1000, 100, 0.75, 4.0 / 3));
        assertEquals(new CropWindow(0, 0, 200, 200), CropWindow.center(200, 200, 0.75, 4.0 / 3));
        // BYOL: single draw clipped to the image, always inside
        for (int i = 0; i < 500; i++) {
            CropWindow c = CropWindow.sample(50, 500, ViewConfig.byolView1(), rng);
            assertTrue(c.w() <= 50 && c.x() + c.w() <= 50 && c.y() + c.h() <= 500);
        }
        assertFalse(minFrac > maxFrac);
    }
}
