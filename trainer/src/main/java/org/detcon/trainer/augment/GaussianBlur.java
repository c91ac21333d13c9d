package org.detcon.trainer.augment;

import java.util.Arrays;

/**
 * Separable Gaussian blur of a float CHW image with a {@code taps}-long kernel exp(−x²/2σ²)/Σ, x ∈ [−r, r],
 * r = taps/2, and zero padding ('SAME' convolution, as BYOL's and SimCLR's depthwise conv; pixels near the border
 * darken slightly). Then clipped to [0, 1]. Weights below 1e-30 are 0.
 */
public final class GaussianBlur {

    /** Weights below this are 0. */
    static final float NEGLIGIBLE = 1e-30f;

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
            float v = (float) (k[i] / sum);
            // a weight this small (σ < ~1 puts outer taps there) moves no pixel by more than 1e-30, but it or its
            // products are subnormal floats, on which the CPU takes a slow path: it is flushed to 0
            k[i] = v < NEGLIGIBLE ? 0f : v;
        }
        return k;
    }

    /**
     * Blurs {@code img} (CHW) in place. Outputs are computed eight at a time with eight independent accumulators
     * held in registers (a JDK 17 JIT does not vectorise the loops here, and one accumulator per output is bound by
     * the latency of its additions); every output still sums its taps in the order t = −r … r, skipping those
     * outside the image, so the result is the same to the bit as the one-pixel-at-a-time definition with
     * {@link #kernel}'s weights.
     */
    public static void apply(float[] img, int channels, int h, int w, double sigma, int taps) {
        float[] full = kernel(sigma, taps);
        int zeros = 0; // taps of weight 0 at both ends (small σ): adding 0·x changes no sum, so they are dropped
        while (zeros < full.length / 2 && full[zeros] == 0f) {
            zeros++;
        }
        float[] k = Arrays.copyOfRange(full, zeros, full.length - zeros);
        int n = k.length;
        int r = n / 2;
        float[] tmp = new float[h * w];
        float[] row = new float[w];
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                int in = base + y * w;
                int out = y * w;
                int x = 0;
                for (; x < Math.min(r, w); x++) {
                    tmp[out + x] = edge(img, in, w, x, k, r);
                }
                for (; x + 8 <= w - r; x += 8) { // every tap inside the row
                    block8(img, in + x - r, 1, k, 0, n - 1, tmp, out + x);
                }
                for (; x < w; x++) {
                    tmp[out + x] = edge(img, in, w, x, k, r);
                }
            }
            for (int y = 0; y < h; y++) {
                int t0 = Math.max(0, r - y);
                int t1 = Math.min(n - 1, h - 1 - y + r);
                int first = (y - r) * w; // row of tap 0 (may be negative: taps before t0 are never read)
                int x = 0;
                for (; x + 8 <= w; x += 8) {
                    block8(tmp, first + x, w, k, t0, t1, row, x);
                }
                for (; x < w; x++) {
                    float s = 0;
                    for (int t = t0; t <= t1; t++) {
                        s += k[t] * tmp[first + t * w + x];
                    }
                    row[x] = s;
                }
                int out = base + y * w;
                for (x = 0; x < w; x++) {
                    img[out + x] = ColorOps.clip(row[x]);
                }
            }
        }
    }

    /** One output of the horizontal pass near the row's ends: the taps inside the row, in order. */
    private static float edge(float[] img, int in, int w, int x, float[] k, int r) {
        float s = 0;
        for (int t = -r; t <= r; t++) {
            int xx = x + t;
            if (xx >= 0 && xx < w) {
                s += k[t + r] * img[in + xx];
            }
        }
        return s;
    }

    /** dst[at + i] = Σ_{t = t0..t1} k[t]·src[base + t·stride + i] for i = 0..7, summed in order of t. */
    private static void block8(float[] src, int base, int stride, float[] k, int t0, int t1, float[] dst, int at) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        for (int t = t0; t <= t1; t++) {
            float kt = k[t];
            int p = base + t * stride;
            s0 += kt * src[p];
            s1 += kt * src[p + 1];
            s2 += kt * src[p + 2];
            s3 += kt * src[p + 3];
            s4 += kt * src[p + 4];
            s5 += kt * src[p + 5];
            s6 += kt * src[p + 6];
            s7 += kt * src[p + 7];
        }
        dst[at] = s0;
        dst[at + 1] = s1;
        dst[at + 2] = s2;
        dst[at + 3] = s3;
        dst[at + 4] = s4;
        dst[at + 5] = s5;
        dst[at + 6] = s6;
        dst[at + 7] = s7;
    }
}
