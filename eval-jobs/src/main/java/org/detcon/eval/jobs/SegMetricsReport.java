package org.detcon.eval.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.detcon.eval.metrics.seg.ConfusionMatrix;
import org.detcon.eval.metrics.seg.SegMetrics;

/**
 * The result of {@link SegMetricsJob}: metrics, the confusion matrix they came from, and two renderings.
 *
 * @param classNames one per class (index = class id)
 * @param images     number of image pairs evaluated
 */
public record SegMetricsReport(SegMetrics metrics, ConfusionMatrix confusion, List<String> classNames, int images) {

    public SegMetricsReport {
        classNames = List.copyOf(classNames);
        if (classNames.size() != metrics.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + metrics.numClasses()
                    + " classes");
        }
    }

    /** A plain-text table: per-class IoU and accuracy (percent), then mIoU, pixel and mean class accuracy. */
    public String table() {
        int nameWidth = Math.max(12, classNames.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + nameWidth + "s %8s %8s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, row, "class", "IoU", "Acc"));
        double[] iou = metrics.classIou();
        double[] acc = metrics.classAccuracy();
        for (int c = 0; c < iou.length; c++) {
            sb.append(String.format(Locale.ROOT, row, classNames.get(c), Json.pct(iou[c]), Json.pct(acc[c])));
        }
        sb.append("-".repeat(nameWidth + 18)).append('\n');
        sb.append(String.format(Locale.ROOT, row, "mIoU", Json.pct(metrics.meanIou()), ""));
        sb.append(String.format(Locale.ROOT, row, "pixel acc", Json.pct(metrics.pixelAccuracy()), ""));
        sb.append(String.format(Locale.ROOT, row, "mean acc", Json.pct(metrics.meanClassAccuracy()), ""));
        sb.append(String.format(Locale.ROOT, "%d images, %d evaluated pixels (ignore index %d); IoU n/a: class in "
                + "neither ground truth nor prediction, left out of mIoU; Acc n/a: class not in ground truth%n", images,
                metrics.evaluatedPixels(), confusion.ignoreIndex()));
        return sb.toString();
    }

    /** JSON with fractions in [0, 1]; undefined values are null. */
    public ObjectNode toJsonNode() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("task", "semantic_segmentation");
        root.put("num_classes", metrics.numClasses());
        root.put("ignore_index", confusion.ignoreIndex());
        root.put("images", images);
        root.put("evaluated_pixels", metrics.evaluatedPixels());
        Json.put(root, "miou", metrics.meanIou());
        Json.put(root, "pixel_accuracy", metrics.pixelAccuracy());
        Json.put(root, "mean_class_accuracy", metrics.meanClassAccuracy());
        ArrayNode classes = root.putArray("classes");
        double[] iou = metrics.classIou();
        double[] acc = metrics.classAccuracy();
        for (int c = 0; c < iou.length; c++) {
            ObjectNode n = classes.addObject();
            n.put("id", c);
            n.put("name", classNames.get(c));
            Json.put(n, "iou", iou[c]);
            Json.put(n, "accuracy", acc[c]);
        }
        root.put("convention", "IoU = tp/(tp+fp+fn) from the confusion matrix summed over all images; classes "
                + "absent from both ground truth and prediction have iou null and are left out of miou");
        return root;
    }

    public String toJson() {
        return Json.write(toJsonNode());
    }
}
