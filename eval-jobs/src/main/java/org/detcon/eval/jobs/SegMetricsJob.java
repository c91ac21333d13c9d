package org.detcon.eval.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.eval.data.ImageRasterIo;
import org.detcon.eval.data.IntRaster;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SegLabels;
import org.detcon.eval.metrics.seg.ConfusionMatrix;

/**
 * Semantic-segmentation metrics of a directory of predicted label maps against a directory of ground-truth label
 * maps: PNG files (palette indices, 8-bit or 16-bit grayscale values = class ids) paired by relative path, so
 * nested layouts such as Cityscapes' per-city folders work. Ground truth must hold class ids in [0, numClasses)
 * or the ignore value; predictions class ids wherever the ground truth is not ignored.
 */
public final class SegMetricsJob {

    private SegMetricsJob() {
    }

    /** Classes named {@code class_0}, {@code class_1}, ... */
    public static SegMetricsReport run(Path gtDir, Path predDir, int numClasses, int ignore) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            names.add("class_" + c);
        }
        return run(gtDir, predDir, numClasses, ignore, names);
    }

    /**
     * @param classNames one name per class, e.g. {@code VocSegmentation.CLASS_NAMES}
     * @throws MalformedDataException naming the file on unpaired files, size mismatch or out-of-range labels
     */
    public static SegMetricsReport run(Path gtDir, Path predDir, int numClasses, int ignore, List<String> classNames) {
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
        var acc = ConfusionMatrix.accumulator(numClasses, ignore);
        List<FilePairs.Pair> pairs = FilePairs.pair(gtDir, predDir, List.of(".png"), List.of(".png"));
        for (FilePairs.Pair p : pairs) {
            IntRaster gtRaster = ImageRasterIo.readSingleBand(p.gt(), "ground-truth label");
            IntRaster predRaster = ImageRasterIo.readSingleBand(p.pred(), "predicted label");
            if (gtRaster.width() != predRaster.width() || gtRaster.height() != predRaster.height()) {
                throw new MalformedDataException(p.pred(), "prediction size", predRaster.width() + "x"
                        + predRaster.height() + " but the ground truth " + p.gt() + " is " + gtRaster.width() + "x"
                        + gtRaster.height());
            }
            LabelMap gt = SegLabels.checkedClassIds(p.gt(), gtRaster, numClasses, ignore);
            try {
                acc.add(gt.labels(), predRaster.values());
            } catch (IllegalArgumentException e) { // ground truth is valid, so the prediction is at fault
                throw new MalformedDataException(p.pred(), "predicted label", e.getMessage(), e);
            }
        }
        ConfusionMatrix cm = acc.snapshot();
        return new SegMetricsReport(cm.metrics(), cm, classNames, pairs.size());
    }
}
