package org.detcon.eval.probe;

/**
 * Frozen-feature probe results on a validation split: semantic segmentation (mIoU and pixel accuracy, in [0, 1])
 * and depth (δ < 1.25 as a fraction, absolute relative error, RMSE in metres).
 */
public record ProbeResult(double miou, double pixelAccuracy, double delta1, double absRel, double rmse,
        int trainImages, int valImages, int grid) {
}
