package org.detcon.eval.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RidgeProbeTest {

    /** Bilinear upsampling with align_corners=False, written out directly (torch semantics). */
    static double[] upsample(float[] f, int g, int c, int h, int w) {
        double[] out = new double[h * w * c];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, (y + 0.5) * g / h - 0.5);
            int y0 = Math.min((int) sy, g - 1);
            int y1 = Math.min(y0 + 1, g - 1);
            double ly = y0 == g - 1 ? 0 : sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, (x + 0.5) * g / w - 0.5);
                int x0 = Math.min((int) sx, g - 1);
                int x1 = Math.min(x0 + 1, g - 1);
                double lx = x0 == g - 1 ? 0 : sx - x0;
                for (int k = 0; k < c; k++) {
                    out[(y * w + x) * c + k] = (1 - ly) * ((1 - lx) * f[(y0 * g + x0) * c + k] + lx * f[(y0 * g + x1) * c + k])
                            + ly * ((1 - lx) * f[(y1 * g + x0) * c + k] + lx * f[(y1 * g + x1) * c + k]);
                }
            }
        }
        return out;
    }

    @Test
    void regressionEqualsExplicitLeastSquaresOnUpsampledFeatures() {
        int g = 3;
        int c = 4;
        int h = 10;
        int w = 7;
        SplittableRandom rng = new SplittableRandom(1);
        RidgeProbe probe = new RidgeProbe(g, c, 1);
        int dim = c + 1;
        double[] ata = new double[dim * dim];
        double[] atb = new double[dim];
        float[][] feats = new float[5][];
        for (int img = 0; img < 5; img++) {
            float[] f = new float[g * g * c];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) rng.nextGaussian();
            }
            feats[img] = f;
            double[] y = new double[h * w];
            boolean[] valid = new boolean[h * w];
            for (int p = 0; p < y.length; p++) {
                y[p] = rng.nextGaussian();
                valid[p] = rng.nextInt(5) != 0;
            }
            probe.addRegression(f, h, w, y, valid);
            double[] u = upsample(f, g, c, h, w);
            for (int p = 0; p < h * w; p++) {
                if (!valid[p]) {
                    continue;
                }
                double[] row = new double[dim];
                for (int k = 0; k < c; k++) {
                    row[k] = u[p * c + k];
                }
                row[c] = 1;
                for (int i = 0; i < dim; i++) {
                    for (int j = 0; j < dim; j++) {
                        ata[i * dim + j] += row[i] * row[j];
                    }
                    atb[i] += row[i] * y[p];
                }
            }
        }
        double[] expected = Cholesky.solve(ata, dim, atb, 1);
        double[] got = probe.solve(0);
        for (int i = 0; i < dim; i++) {
            assertEquals(expected[i], got[i], 1e-6 * (1 + Math.abs(expected[i])), "weight " + i);
        }
        // prediction = upsampled features times weights
        double[] pred = probe.predictValues(feats[0], got, h, w);
        double[] u = upsample(feats[0], g, c, h, w);
        for (int p = 0; p < h * w; p++) {
            double v = got[c];
            for (int k = 0; k < c; k++) {
                v += u[p * c + k] * got[k];
            }
            assertEquals(v, pred[p], 1e-9);
        }
    }

    @Test
    void separableClassesAreRecoveredExactly() {
        // one-hot features per cell, labels = the nearest cell's class at grid resolution 2 -> 4x4 pixels
        int g = 2;
        int k = 3;
        RidgeProbe probe = new RidgeProbe(g, k, k);
        float[] f = new float[g * g * k];
        int[] cellClass = {0, 1, 2, 1};
        for (int cell = 0; cell < 4; cell++) {
            f[cell * k + cellClass[cell]] = 1;
        }
        int[] labels = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                labels[y * 4 + x] = cellClass[(y / 2) * 2 + x / 2];
            }
        }
        labels[5] = 255; // ignored pixel
        probe.addClassification(f, 4, 4, labels, 255);
        assertEquals(15, probe.pixels());
        double[] w = probe.solve(1e-6);
        int[] pred = probe.predictClasses(f, w, 4, 4);
        labels[5] = cellClass[0];
        assertArrayEquals(labels, pred);
    }

    @Test
    void classWeightsRescueTheMinorityClass() {
        // a feature that marks the images holding the minority class (30% of their pixels): unweighted, the majority
        // class still wins there; balanced, the minority class is predicted where the feature points to it
        int g = 1;
        int[] labels = new int[100];
        for (int p = 0; p < 30; p++) {
            labels[p] = 1; // 30% of the pixels of half the images: 15% overall
        }
        RidgeProbe plain = new RidgeProbe(g, 1, 2);
        RidgeProbe balanced = new RidgeProbe(g, 1, 2);
        balanced.setClassWeights(new double[] {2000.0 / (2 * 1700), 2000.0 / (2 * 300)});
        for (int img = 0; img < 20; img++) {
            boolean minority = img % 2 == 0;
            float[] f = {minority ? 1f : 0f};
            int[] l = minority ? labels : new int[100];
            plain.addClassification(f, 10, 10, l, 255);
            balanced.addClassification(f, 10, 10, l, 255);
        }
        float[] minorityFeature = {1f};
        int[] p = plain.predictClasses(minorityFeature, plain.solve(1e-6), 10, 10);
        int[] b = balanced.predictClasses(minorityFeature, balanced.solve(1e-6), 10, 10);
        assertEquals(0, java.util.Arrays.stream(p).sum(), "unweighted: background everywhere");
        assertEquals(100, java.util.Arrays.stream(b).sum(), "balanced: the minority class");
    }

    @Test
    void deterministic() {
        double[] first = null;
        for (int run = 0; run < 2; run++) {
            RidgeProbe probe = new RidgeProbe(2, 3, 2);
            SplittableRandom rng = new SplittableRandom(9);
            for (int img = 0; img < 3; img++) {
                float[] f = new float[12];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) rng.nextDouble();
                }
                int[] l = new int[36];
                for (int p = 0; p < l.length; p++) {
                    l[p] = rng.nextInt(2);
                }
                probe.addClassification(f, 6, 6, l, 255);
            }
            double[] w = probe.solve(1e-3);
            if (first == null) {
                first = w;
            } else {
                assertArrayEquals(first, w);
            }
        }
    }
}
