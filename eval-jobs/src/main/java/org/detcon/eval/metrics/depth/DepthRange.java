package org.detcon.eval.metrics.depth;

/**
 * The ground-truth depths (metres) that count as valid: finite, strictly positive and within [min, max].
 * NYU Depth v2 evaluation conventionally uses 1e-3..10 m.
 */
public record DepthRange(double min, double max) {

    /** 1e-3 m .. 10 m, the usual NYU Depth v2 evaluation range. */
    public static final DepthRange NYU = new DepthRange(1e-3, 10.0);

    /** Any finite positive depth. */
    public static final DepthRange ANY_POSITIVE = new DepthRange(Double.MIN_VALUE, Double.MAX_VALUE);

    public DepthRange {
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("depth range needs 0 < min <= max < infinity, got [" + min + ", "
                    + max + "]");
        }
    }

    public boolean isValid(double depth) {
        return Double.isFinite(depth) && depth > 0 && depth >= min && depth <= max;
    }

    /** The valid-pixel mask of a depth map. */
    public boolean[] validMask(float[] depth) {
        boolean[] valid = new boolean[depth.length];
        for (int i = 0; i < depth.length; i++) {
            valid[i] = isValid(depth[i]);
        }
        return valid;
    }

    public double clamp(double depth) {
        return Math.min(max, Math.max(min, depth));
    }
}
