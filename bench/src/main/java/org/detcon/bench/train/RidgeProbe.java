package org.detcon.bench.train;

/**
 * A linear probe: features standardised with the training set's mean and std, a bias column, one-vs-all
 * least-squares (ridge) regression onto one-hot labels, prediction by argmax. λ is picked on a held-out fifth of
 * the training set from {1e-2, 1e-1, 1, 10, 100} × n.
 */
final class RidgeProbe {

    private final int classes;
    private double[] mean;
    private double[] std;
    private double[][] w; // (d + 1) × classes

    RidgeProbe(int classes) {
        this.classes = classes;
    }

    /** Trains on x (n × d) and y, choosing λ on a held-out split; returns the chosen λ/n. */
    double fit(float[][] x, int[] y) {
        int n = x.length;
        int cut = n - n / 5;
        double best = -1;
        double bestScale = 1;
        for (double scale : new double[] {1e-2, 1e-1, 1, 10, 100}) {
            fitWith(slice(x, 0, cut), slice(y, 0, cut), scale);
            double acc = balancedAccuracy(slice(x, cut, n), slice(y, cut, n));
            if (acc > best) {
                best = acc;
                bestScale = scale;
            }
        }
        fitWith(x, y, bestScale);
        return bestScale;
    }

    private void fitWith(float[][] x, int[] y, double scale) {
        int n = x.length;
        int d = x[0].length;
        mean = new double[d];
        std = new double[d];
        for (float[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] r : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n) + 1e-6;
        }
        int m = d + 1;
        double[][] a = new double[m][m];
        double[][] b = new double[m][classes];
        double[] z = new double[m];
        for (int i = 0; i < n; i++) {
            standardise(x[i], z);
            for (int p = 0; p < m; p++) {
                double zp = z[p];
                if (zp == 0) {
                    continue;
                }
                double[] ap = a[p];
                for (int q = p; q < m; q++) {
                    ap[q] += zp * z[q];
                }
                b[p][y[i]] += zp;
            }
        }
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < p; q++) {
                a[p][q] = a[q][p];
            }
            if (p < d) {
                a[p][p] += scale * n; // no penalty on the bias
            }
        }
        w = solve(a, b);
    }

    private void standardise(float[] r, double[] z) {
        int d = r.length;
        for (int j = 0; j < d; j++) {
            z[j] = (r[j] - mean[j]) / std[j];
        }
        z[d] = 1;
    }

    int predict(float[] r) {
        double[] z = new double[r.length + 1];
        standardise(r, z);
        int best = 0;
        double bv = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = 0;
            for (int j = 0; j < z.length; j++) {
                s += z[j] * w[j][c];
            }
            if (s > bv) {
                bv = s;
                best = c;
            }
        }
        return best;
    }

    /** Mean over the classes present of the fraction of their samples predicted right. */
    double balancedAccuracy(float[][] x, int[] y) {
        int[] n = new int[classes];
        int[] ok = new int[classes];
        for (int i = 0; i < x.length; i++) {
            n[y[i]]++;
            if (predict(x[i]) == y[i]) {
                ok[y[i]]++;
            }
        }
        double s = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (n[c] > 0) {
                s += ok[c] / (double) n[c];
                present++;
            }
        }
        return s / present;
    }

    double accuracy(float[][] x, int[] y) {
        int ok = 0;
        for (int i = 0; i < x.length; i++) {
            if (predict(x[i]) == y[i]) {
                ok++;
            }
        }
        return ok / (double) x.length;
    }

    /** Gaussian elimination with partial pivoting: a x = b (a is symmetric positive definite here). */
    private static double[][] solve(double[][] a, double[][] b) {
        int m = a.length;
        int k = b[0].length;
        for (int col = 0; col < m; col++) {
            int piv = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            t = b[col];
            b[col] = b[piv];
            b[piv] = t;
            double d = a[col][col];
            for (int r = col + 1; r < m; r++) {
                double f = a[r][col] / d;
                if (f == 0) {
                    continue;
                }
                for (int c = col; c < m; c++) {
                    a[r][c] -= f * a[col][c];
                }
                for (int c = 0; c < k; c++) {
                    b[r][c] -= f * b[col][c];
                }
            }
        }
        double[][] x = new double[m][k];
        for (int r = m - 1; r >= 0; r--) {
            for (int c = 0; c < k; c++) {
                double s = b[r][c];
                for (int q = r + 1; q < m; q++) {
                    s -= a[r][q] * x[q][c];
                }
                x[r][c] = s / a[r][r];
            }
        }
        return x;
    }

    private static float[][] slice(float[][] x, int from, int to) {
        return java.util.Arrays.copyOfRange(x, from, to);
    }

    private static int[] slice(int[] x, int from, int to) {
        return java.util.Arrays.copyOfRange(x, from, to);
    }
}
