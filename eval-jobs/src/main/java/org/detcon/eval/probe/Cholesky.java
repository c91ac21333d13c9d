package org.detcon.eval.probe;

/** Solves S X = B for a symmetric positive-definite S (row-major n×n) and B (n×k), in place on copies. */
final class Cholesky {

    private Cholesky() {
    }

    static double[] solve(double[] s, int n, double[] b, int k) {
        double[] l = s.clone();
        for (int j = 0; j < n; j++) {
            double d = l[j * n + j];
            for (int p = 0; p < j; p++) {
                d -= l[j * n + p] * l[j * n + p];
            }
            if (!(d > 0)) {
                throw new ArithmeticException("matrix not positive definite at " + j + " (" + d + ")");
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double v = l[i * n + j];
                for (int p = 0; p < j; p++) {
                    v -= l[i * n + p] * l[j * n + p];
                }
                l[i * n + j] = v / ljj;
            }
        }
        // forward: L z = b
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                double v = b[i * k + c];
                for (int p = 0; p < i; p++) {
                    v -= l[i * n + p] * b[p * k + c];
                }
                b[i * k + c] = v / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double v = b[i * k + c];
                for (int p = i + 1; p < n; p++) {
                    v -= l[p * n + i] * b[p * k + c];
                }
                b[i * k + c] = v / l[i * n + i];
            }
        }
        return b;
    }
}
