/**
 * An exact port of pycocotools' {@code COCOeval} for {@code bbox} and {@code segm}: {@link
 * org.detcon.eval.coco.eval.EvalParams} ({@code Params}), {@link org.detcon.eval.coco.eval.CocoEvaluator}
 * ({@code evaluate} + {@code accumulate}), {@link org.detcon.eval.coco.eval.EvalResult} ({@code self.eval}) and
 * {@link org.detcon.eval.coco.eval.CocoSummary} ({@code summarize}, per-category AP). numpy behaviours that change
 * numbers (linspace, pairwise-summed means, stable argsort) are in {@link org.detcon.eval.coco.eval.NumpyCompat}.
 */
package org.detcon.eval.coco.eval;
