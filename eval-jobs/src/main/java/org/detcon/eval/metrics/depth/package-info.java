/**
 * Monocular depth metrics (Eigen et al., 2014): δ&lt;1.25, δ&lt;1.25², δ&lt;1.25³, abs rel, sq rel, RMSE,
 * RMSE log (natural log), log10, over valid ground-truth pixels (finite, &gt; 0, within a {@link
 * org.detcon.eval.metrics.depth.DepthRange}; NYU: 1e-3..10 m).
 *
 * <p>Aggregation over a data set: the default, {@link org.detcon.eval.metrics.depth.DepthAveraging#PER_IMAGE_MEAN},
 * computes every metric per image and averages over images (as the widely used NYU evaluation code of BTS,
 * AdaBins and the Monocular-Depth-Estimation-Toolbox does); {@link
 * org.detcon.eval.metrics.depth.DepthAveraging#POOLED_PIXELS} pools all valid pixels of the set (Eigen et al.'s
 * written definition). Both are accumulated at once, so a run can report either. Images without a valid pixel
 * are counted but contribute nothing.
 *
 * <p>Golden values: {@code tools/fixtures/make_eval_metric_fixtures.py} (numpy) → {@code fixtures/metrics/depth_golden.json}.
 */
package org.detcon.eval.metrics.depth;
