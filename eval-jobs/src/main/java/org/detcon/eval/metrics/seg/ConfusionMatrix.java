package org.detcon.eval.metrics.seg;

import java.util.Arrays;
import java.util.Objects;
import org.detcon.core.labelmap.LabelMap;

/**
 * An immutable semantic-segmentation confusion matrix: {@code count(gt, pred)} pixels of ground-truth class
 * {@code gt} predicted as {@code pred} (rows = ground truth, columns = prediction, as in torchvision and mmseg).
 * Pixels whose ground truth equals the ignore index are not counted, whatever was predicted there.
 *
 * <p>Build one with {@link #accumulator(int, int)} (one per thread; {@link Accumulator#merge} combines them) or
 * {@link #of(int, int, int[], int[])} for a single image; combine finished matrices with {@link #plus}.
 */
public final class ConfusionMatrix {

    private final int numClasses;
    private final int ignoreIndex;
    private final long[] counts; // row-major numClasses x numClasses

    private ConfusionMatrix(int numClasses, int ignoreIndex, long[] counts) {
        this.numClasses = numClasses;
        this.ignoreIndex = ignoreIndex;
        this.counts = counts;
    }

    /** An empty accumulator for {@code numClasses} classes (ids 0..numClasses-1) and the given ignore index. */
    public static Accumulator accumulator(int numClasses, int ignoreIndex) {
        return new Accumulator(numClasses, ignoreIndex);
    }

    /** The matrix of one image (ground truth and prediction as flat label arrays of equal length). */
    public static ConfusionMatrix of(int numClasses, int ignoreIndex, int[] gt, int[] pred) {
        return accumulator(numClasses, ignoreIndex).add(gt, pred).snapshot();
    }

    /** A matrix from explicit counts, row-major {@code [gt * numClasses + pred]} (copied). */
    public static ConfusionMatrix fromCounts(int numClasses, int ignoreIndex, long[] counts) {
        checkClasses(numClasses, ignoreIndex);
        Objects.requireNonNull(counts, "counts");
        if (counts.length != (long) numClasses * numClasses) {
            throw new IllegalArgumentException("confusion matrix for " + numClasses + " classes needs "
                    + ((long) numClasses * numClasses) + " counts, got " + counts.length);
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " in confusion matrix");
            }
        }
        return new ConfusionMatrix(numClasses, ignoreIndex, counts.clone());
    }

    public int numClasses() {
        return numClasses;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** Pixels with ground truth {@code gt} predicted as {@code pred}. */
    public long count(int gt, int pred) {
        Objects.checkIndex(gt, numClasses);
        Objects.checkIndex(pred, numClasses);
        return counts[gt * numClasses + pred];
    }

    /** All counts, row-major {@code [gt * numClasses + pred]} (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** Number of evaluated (non-ignored) pixels. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The element-wise sum of two matrices with the same class count and ignore index. */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        checkCompatible(other.numClasses, other.ignoreIndex);
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] = Math.addExact(sum[i], other.counts[i]);
        }
        return new ConfusionMatrix(numClasses, ignoreIndex, sum);
    }

    /**
     * IoU per class, mIoU, pixel accuracy and class accuracies. A class absent from both ground truth and
     * prediction has IoU NaN and is left out of the mIoU; a class predicted but never in the ground truth has
     * IoU 0 (counted) and class accuracy NaN (left out of the mean) — the mmseg / torchvision convention.
     */
    public SegMetrics metrics() {
        double[] iou = new double[numClasses];
        double[] acc = new double[numClasses];
        long tpSum = 0;
        long total = 0;
        for (int c = 0; c < numClasses; c++) {
            long tp = counts[c * numClasses + c];
            long gtCount = 0;
            long predCount = 0;
            for (int k = 0; k < numClasses; k++) {
                gtCount += counts[c * numClasses + k];
                predCount += counts[k * numClasses + c];
            }
            long union = gtCount + predCount - tp;
            iou[c] = union > 0 ? (double) tp / (double) union : Double.NaN;
            acc[c] = gtCount > 0 ? (double) tp / (double) gtCount : Double.NaN;
            tpSum += tp;
            total += gtCount;
        }
        double pixelAccuracy = total > 0 ? (double) tpSum / (double) total : Double.NaN;
        return new SegMetrics(iou, nanMean(iou), pixelAccuracy, acc, nanMean(acc), total);
    }

    static double nanMean(double[] xs) {
        double sum = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private void checkCompatible(int otherClasses, int otherIgnore) {
        if (otherClasses != numClasses || otherIgnore != ignoreIndex) {
            throw new IllegalArgumentException("cannot combine confusion matrices for " + numClasses
                    + " classes (ignore " + ignoreIndex + ") and " + otherClasses + " classes (ignore "
                    + otherIgnore + ")");
        }
    }

    private static void checkClasses(int numClasses, int ignoreIndex) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
        }
        if (ignoreIndex >= 0 && ignoreIndex < numClasses) {
            throw new IllegalArgumentException("ignore index " + ignoreIndex + " must lie outside the class range [0, "
                    + numClasses + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.numClasses == numClasses && m.ignoreIndex == ignoreIndex
                && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numClasses + ignoreIndex) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[" + numClasses + " classes, ignore " + ignoreIndex + ", " + total() + " pixels]";
    }

    /** Mutable, not thread-safe: use one per thread and {@link #merge} them. */
    public static final class Accumulator {
        private final int numClasses;
        private final int ignoreIndex;
        private final long[] counts;

        private Accumulator(int numClasses, int ignoreIndex) {
            checkClasses(numClasses, ignoreIndex);
            this.numClasses = numClasses;
            this.ignoreIndex = ignoreIndex;
            this.counts = new long[Math.multiplyExact(numClasses, numClasses)];
        }

        /**
         * Adds one image. Ground truth must be in [0, numClasses) or the ignore index; predictions must be in
         * [0, numClasses) wherever the ground truth is not ignored. On error nothing is added.
         *
         * @throws IllegalArgumentException naming the first offending pixel (flat index)
         */
        public Accumulator add(int[] gt, int[] pred) {
            Objects.requireNonNull(gt, "gt");
            Objects.requireNonNull(pred, "pred");
            if (gt.length != pred.length) {
                throw new IllegalArgumentException("ground truth has " + gt.length + " pixels but prediction has "
                        + pred.length);
            }
            int n = numClasses;
            for (int i = 0; i < gt.length; i++) { // validate first so a bad image leaves the counts untouched
                int g = gt[i];
                if (g == ignoreIndex) {
                    continue;
                }
                if (g < 0 || g >= n) {
                    throw new IllegalArgumentException("ground-truth label " + g + " at pixel " + i
                            + " is outside [0, " + n + ") and is not the ignore index " + ignoreIndex);
                }
                int p = pred[i];
                if (p < 0 || p >= n) {
                    throw new IllegalArgumentException("predicted label " + p + " at pixel " + i
                            + " is outside [0, " + n + ")");
                }
            }
            for (int i = 0; i < gt.length; i++) {
                int g = gt[i];
                if (g != ignoreIndex) {
                    counts[g * n + pred[i]]++;
                }
            }
            return this;
        }

        /** Adds one image given as label maps of the same size. */
        public Accumulator add(LabelMap gt, LabelMap pred) {
            if (gt.width() != pred.width() || gt.height() != pred.height()) {
                throw new IllegalArgumentException("ground truth is " + gt.width() + "x" + gt.height()
                        + " but prediction is " + pred.width() + "x" + pred.height());
            }
            return add(gt.labels(), pred.labels());
        }

        public Accumulator merge(Accumulator other) {
            return merge(other.counts, other.numClasses, other.ignoreIndex);
        }

        public Accumulator merge(ConfusionMatrix other) {
            return merge(other.counts, other.numClasses, other.ignoreIndex);
        }

        private Accumulator merge(long[] otherCounts, int otherClasses, int otherIgnore) {
            if (otherClasses != numClasses || otherIgnore != ignoreIndex) {
                throw new IllegalArgumentException("cannot merge confusion matrices for " + numClasses
                        + " classes (ignore " + ignoreIndex + ") and " + otherClasses + " classes (ignore "
                        + otherIgnore + ")");
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Math.addExact(counts[i], otherCounts[i]);
            }
            return this;
        }

        /** An immutable copy of the counts so far. */
        public ConfusionMatrix snapshot() {
            return new ConfusionMatrix(numClasses, ignoreIndex, counts.clone());
        }
    }
}
