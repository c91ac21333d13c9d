package org.detcon.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {

    /** The definition, one output pixel at a time (zero padding, taps summed in order −r … r, then clipped). */
    private static float[] reference(float[] img, int channels, int h, int w, double sigma, int taps) {
        float[] k = GaussianBlur.kernel(sigma, taps);
        int r = k.length / 2;
        float[] out = img.clone();
        float[] tmp = new float[h * w];
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int t = -r; t <= r; t++) {
                        if (x + t >= 0 && x + t < w) {
                            s += k[t + r] * img[base + y * w + x + t];
                        }
                    }
                    tmp[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int t = -r; t <= r; t++) {
                        if (y + t >= 0 && y + t < h) {
                            s += k[t + r] * tmp[(y + t) * w + x];
                        }
                    }
                    out[base + y * w + x] = ColorOps.clip(s);
                }
            }
        }
        return out;
    }

    @Test
    void rowAtATimeBlurEqualsThePerPixelDefinitionToTheBit() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] sizes = {{224, 224}, {96, 64}, {7, 30}, {1, 1}, {5, 3}};
        for (int[] hw : sizes) {
            for (int taps : new int[] {23, 3, 1}) {
                float[] img = new float[3 * hw[0] * hw[1]];
                for (int i = 0; i < img.length; i++) {
                    img[i] = (float) r.nextDouble();
                }
                double sigma = 0.1 + 1.9 * r.nextDouble();
                float[] expected = reference(img, 3, hw[0], hw[1], sigma, taps);
                GaussianBlur.apply(img, 3, hw[0], hw[1], sigma, taps);
                assertArrayEquals(expected, img, 0f, hw[0] + "x" + hw[1] + " taps " + taps);
            }
        }
    }
}
