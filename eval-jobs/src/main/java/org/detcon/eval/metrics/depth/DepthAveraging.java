package org.detcon.eval.metrics.depth;

/** How depth metrics are aggregated over a data set. */
public enum DepthAveraging {
    /**
     * Each metric is computed per image over its valid pixels, then averaged over the images that have at least
     * one valid pixel, each image weighing the same (RMSE is a per-image root, then averaged). This is what the
     * common NYU Depth v2 evaluation code does (BTS, AdaBins, the Monocular-Depth-Estimation-Toolbox): the default.
     */
    PER_IMAGE_MEAN,
    /**
     * Every valid pixel of the whole set counts once, Eigen et al.'s {@code 1/|T| sum over T} with T all test
     * pixels (RMSE is the root of the pooled mean squared error).
     */
    POOLED_PIXELS
}
