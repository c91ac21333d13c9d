package org.detcon.eval.metrics.depth;

/**
 * The depth metrics of a data set under one averaging convention.
 *
 * @param metrics                  the metrics (NaN when no image had a valid pixel)
 * @param averaging                how per-pixel errors were aggregated
 * @param images                   images added
 * @param imagesWithoutValidPixels images that had no valid ground-truth pixel (they contribute nothing)
 * @param validPixels              valid pixels over all images
 */
public record DepthEvaluation(DepthMetrics metrics, DepthAveraging averaging, int images,
                              int imagesWithoutValidPixels, long validPixels) {
}
