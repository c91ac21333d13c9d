package org.detcon.orchestration.report;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The paper's numbers (detcon-spec.md section 7: Tables 1 and 2, ImageNet-pretrained ResNet-50, 1000 epochs) for
 * the evaluations that report them, by eval name, metric key and method, to print beside a sweep's own results.
 * Evaluations on other data (the frozen probes on generated scenes) have none.
 */
public final class PaperNumbers {

    /** A number of the paper and where it comes from. */
    public record Reference(double value, String source) {
    }

    private static final Map<String, Double> TABLE = Map.ofEntries(
            Map.entry("coco-maskrcnn.bbox_ap.byol", 41.6), Map.entry("coco-maskrcnn.bbox_ap.detcon_b", 42.7),
            Map.entry("coco-maskrcnn.bbox_ap.simclr", 39.7), Map.entry("coco-maskrcnn.bbox_ap.detcon_s", 41.8),
            Map.entry("coco-maskrcnn.segm_ap.byol", 37.2), Map.entry("coco-maskrcnn.segm_ap.detcon_b", 38.2),
            Map.entry("coco-maskrcnn.segm_ap.simclr", 35.8), Map.entry("coco-maskrcnn.segm_ap.detcon_s", 37.4),
            Map.entry("voc-seg.miou.byol", 75.7), Map.entry("voc-seg.miou.detcon_b", 77.3),
            Map.entry("cityscapes-seg.miou.byol", 74.6), Map.entry("cityscapes-seg.miou.detcon_b", 77.0),
            Map.entry("nyu-depth.delta1.byol", 84.2), Map.entry("nyu-depth.delta1.detcon_b", 86.3));

    private PaperNumbers() {
    }

    /** The paper's value (in percent) of {@code eval.metric} for {@code method}, if it reports one. */
    public static Optional<Reference> lookup(String eval, String metric, String method) {
        if (method == null) {
            return Optional.empty();
        }
        Double v = TABLE.get(eval + "." + metric + "." + method.toLowerCase(Locale.ROOT));
        if (v == null) {
            return Optional.empty();
        }
        String table = eval.equals("coco-maskrcnn") ? "Table 2, Mask R-CNN 1x" : "Table 1, 1000 epochs";
        return Optional.of(new Reference(v, "paper " + table));
    }
}
