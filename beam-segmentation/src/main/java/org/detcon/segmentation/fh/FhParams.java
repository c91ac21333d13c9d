package org.detcon.segmentation.fh;

/**
 * Parameters of {@link Felzenszwalb}, with skimage's meaning: {@code scale} (observation level, higher = larger
 * segments; internally k = scale / 255 on a [0,1] image), {@code sigma} (Gaussian pre-smoothing; &lt;= 1e-15 means
 * none) and {@code minSize} (components smaller than this are merged in a second pass).
 *
 * <p>Exactness note: for sigma 0.8, 0.5 and 1.0 the kernel weights are those numpy 1.24 computes on the reference
 * machine (hard-coded and tested in {@link GaussianKernel}); other sigmas are computed from the spec with
 * {@code StrictMath.exp} and may differ from a given numpy build in the last bit of a weight.
 */
public record FhParams(double scale, double sigma, int minSize) {

    public static final double DEFAULT_SIGMA = 0.8;
    /** Largest sigma accepted: the kernel radius (4 sigma) must stay reasonable. */
    public static final double MAX_SIGMA = 1000.0;

    public FhParams {
        if (!Double.isFinite(scale) || !(scale > 0.0)) {
            throw new IllegalArgumentException("FH scale must be a finite number > 0, got " + scale);
        }
        if (!Double.isFinite(sigma) || sigma < 0.0) {
            throw new IllegalArgumentException("FH sigma must be a finite number >= 0, got " + sigma);
        }
        if (sigma > MAX_SIGMA) {
            throw new IllegalArgumentException("FH sigma must be <= " + MAX_SIGMA + ", got " + sigma);
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("FH minSize must be >= 0, got " + minSize);
        }
    }

    /** The usual DetCon setting: given scale, sigma 0.8, min_size = scale (rounded toward zero). */
    public static FhParams of(double scale) {
        if (!Double.isFinite(scale) || !(scale > 0.0) || scale > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("FH scale must be a finite number in (0, 2^31), got " + scale);
        }
        return new FhParams(scale, DEFAULT_SIGMA, (int) scale);
    }

    public FhParams withSigma(double newSigma) {
        return new FhParams(scale, newSigma, minSize);
    }

    public FhParams withMinSize(int newMinSize) {
        return new FhParams(scale, sigma, newMinSize);
    }

    /** The paper's k for a [0,1] image: {@code scale / 255.0}. */
    public double k() {
        return scale / 255.0;
    }
}
