package org.detcon.eval.metrics.seg;

/**
 * Semantic-segmentation metrics from a {@link ConfusionMatrix}. Arrays are copied in and out, so a value is
 * immutable. NaN marks an undefined value: IoU of a class absent from both ground truth and prediction, accuracy
 * of a class absent from the ground truth; means skip NaN (and are NaN only when every entry is).
 *
 * @param classIou          IoU per class, tp / (tp + fp + fn)
 * @param meanIou           mean of the non-NaN class IoUs
 * @param pixelAccuracy     correctly labelled pixels / evaluated pixels
 * @param classAccuracy     per class tp / (ground-truth pixels of the class)
 * @param meanClassAccuracy mean of the non-NaN class accuracies
 * @param evaluatedPixels   pixels counted (ground truth not ignored)
 */
public record SegMetrics(double[] classIou, double meanIou, double pixelAccuracy, double[] classAccuracy,
                         double meanClassAccuracy, long evaluatedPixels) {

    public SegMetrics {
        classIou = classIou.clone();
        classAccuracy = classAccuracy.clone();
        if (classIou.length != classAccuracy.length) {
            throw new IllegalArgumentException("classIou has " + classIou.length + " entries, classAccuracy "
                    + classAccuracy.length);
        }
    }

    @Override
    public double[] classIou() {
        return classIou.clone();
    }

    @Override
    public double[] classAccuracy() {
        return classAccuracy.clone();
    }

    public int numClasses() {
        return classIou.length;
    }

    public double iou(int classId) {
        return classIou[classId];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegMetrics m && java.util.Arrays.equals(m.classIou, classIou)
                && Double.compare(m.meanIou, meanIou) == 0 && Double.compare(m.pixelAccuracy, pixelAccuracy) == 0
                && java.util.Arrays.equals(m.classAccuracy, classAccuracy)
                && Double.compare(m.meanClassAccuracy, meanClassAccuracy) == 0 && m.evaluatedPixels == evaluatedPixels;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(classIou) * 31 + Double.hashCode(meanIou);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "SegMetrics[mIoU=%.4f, pixelAcc=%.4f, meanClassAcc=%.4f, pixels=%d]",
                meanIou, pixelAccuracy, meanClassAccuracy, evaluatedPixels);
    }
}
