/**
 * Semantic-segmentation metrics.
 *
 * <p>Conventions (those of mmseg and torchvision's reference scripts): one confusion matrix (rows = ground truth,
 * columns = prediction, long counts) is summed over the whole data set and the metrics are computed from it once —
 * not averaged per image. Pixels whose ground truth is the ignore index (255 for VOC and Cityscapes) are skipped.
 * IoU_c = tp / (tp + fp + fn); a class absent from both ground truth and predictions has IoU NaN and is excluded
 * from mIoU; a class predicted but absent from the ground truth has IoU 0 and counts. Pixel accuracy =
 * trace / total; class accuracy_c = tp / ground-truth pixels of c (NaN if none), mean class accuracy skips NaN.
 * Ground truth outside [0, N) that is not the ignore index, and predictions outside [0, N) at evaluated pixels,
 * are errors rather than silently dropped.
 *
 * <p>Golden values: {@code tools/fixtures/make_eval_metric_fixtures.py} (numpy) → {@code fixtures/metrics/seg_golden.json}.
 */
package org.detcon.eval.metrics.seg;
