package org.detcon.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorOpsTest {

    /** One-pixel CHW images are enough: hw = 1 means channels are consecutive. */
    private static float[] px(float r, float g, float b) {
        return new float[] {r, g, b};
    }

    @Test
    void brightnessIsAdditiveAndClipped() {
        float[] x = px(0.1f, 0.5f, 0.9f);
        ColorOps.brightness(x, 0.2f);
        assertArrayEquals(new float[] {0.3f, 0.7f, 1.0f}, x, 1e-6f);
    }

    @Test
    void contrastScalesAroundEachChannelMean() {
        // two pixels: channel r = {0.2, 0.6} (mean 0.4); factor 1.5 -> {0.1, 0.7}
        float[] x = {0.2f, 0.6f, 0.5f, 0.5f, 0.0f, 1.0f};
        ColorOps.contrast(x, 2, 1.5f);
        assertArrayEquals(new float[] {0.1f, 0.7f, 0.5f, 0.5f, 0.0f, 1.0f}, x, 1e-6f);
    }

    @Test
    void hueAndSaturation() {
        float[] red = px(1, 0, 0);
        ColorOps.hue(red, 1, 1f / 3);
        assertArrayEquals(new float[] {0, 1, 0}, red, 1e-6f);
        float[] c = px(0.8f, 0.4f, 0.2f);
        ColorOps.saturation(c, 1, 0f); // s = 0 -> gray at v = max
        assertArrayEquals(new float[] {0.8f, 0.8f, 0.8f}, c, 1e-6f);
        float[] d = px(0.8f, 0.4f, 0.2f); // h = 1/18, s = 0.75, v = 0.8; s x 0.5 -> 0.375
        ColorOps.saturation(d, 1, 0.5f);
        assertArrayEquals(new float[] {0.8f, 0.6f, 0.5f}, d, 1e-6f);
        float[] hsv = new float[3];
        ColorOps.rgbToHsv(0.8f, 0.4f, 0.2f, hsv);
        assertArrayEquals(new float[] {1f / 18, 0.75f, 0.8f}, hsv, 1e-6f);
        float[] back = new float[3];
        ColorOps.hsvToRgb(hsv[0], hsv[1], hsv[2], back);
        assertArrayEquals(new float[] {0.8f, 0.4f, 0.2f}, back, 1e-6f);
    }

    @Test
    void grayscaleAndSolarize() {
        float[] x = px(1, 0.5f, 0);
        ColorOps.grayscale(x, 1);
        float y = 0.2989f + 0.5870f * 0.5f;
        assertArrayEquals(new float[] {y, y, y}, x, 1e-6f);
        float[] s = px(0.2f, 0.5f, 0.9f);
        ColorOps.solarize(s);
        assertArrayEquals(new float[] {0.2f, 0.5f, 0.1f}, s, 1e-6f);
    }

    @Test
    void blurKernelAndConstantInterior() {
        float[] k = GaussianBlur.kernel(1.0, 23);
        assertEquals(23, k.length);
        float sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1f, sum, 1e-6f);
        assertEquals(k[0], k[22], 0f);
        assertEquals(Math.exp(-0.5) * k[11], k[12], 1e-7);
        int n = 40;
        float[] img = new float[3 * n * n];
        java.util.Arrays.fill(img, 0.5f);
        GaussianBlur.apply(img, 3, n, n, 2.0, 23);
        assertEquals(0.5f, img[20 * n + 20], 1e-6f);     // far from the border: unchanged
        assertEquals(true, img[0] < 0.5f);                 // zero padding darkens the corner
    }

    @Test
    void bicubicKernel() {
        assertEquals(1.0, Resize.cubic(0), 0);
        assertEquals(0.0, Resize.cubic(1), 0);
        assertEquals(0.0, Resize.cubic(2), 0);
        assertEquals(-0.0625, Resize.cubic(1.5), 1e-12); // a = -0.5
        assertEquals(0.5625, Resize.cubic(0.5), 1e-12);
    }
}
