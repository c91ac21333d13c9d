package org.detcon.trainer.augment;

/**
 * Separable Gaussian blur of a float CHW image with a {@code taps}-long kernel exp(−x²/2σ²)/Σ, x ∈ [−r, r],
 * r = taps/2, and zero padding ('SAME' convolution, as BYOL's and SimCLR's depthwise conv; pixels near the border
 * darken slightly). Then clipped to [0, 1].
 */
public final class GaussianBlur {

    private GaussianBlur() {
    }

    public static float[] kernel(double sigma, int taps) {
        int r = taps / 2;
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-(double) i * i / (2 * sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (k[i] / sum);
        }
        return k;
    }

    public static void apply(float[] img, int channels, int h, int w, double sigma, int taps) {
        float[] k = kernel(sigma, taps);
        int r = k.length / 2;
        float[] tmp = new float[h * w];
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int t = -r; t <= r; t++) {
                        int xx = x + t;
                        if (xx >= 0 && xx < w) {
                            s += k[t + r] * img[base + y * w + xx];
                        }
                    }
                    tmp[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int t = -r; t <= r; t++) {
                        int yy = y + t;
                        if (yy >= 0 && yy < h) {
                            s += k[t + r] * tmp[yy * w + x];
                        }
                    }
                    img[base + y * w + x] = ColorOps.clip(s);
                }
            }
        }
    }
}
