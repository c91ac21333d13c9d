package org.detcon.eval.coco.job;

import java.util.Map;

import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.report.CocoSummaryFormat;

/**
 * The outcome of {@link CocoMetricsJob}: the 12 pycocotools stats, per-category AP@[.5:.95], and their renderings.
 *
 * @param iouType what was evaluated
 * @param summary the summarized evaluation (precision/recall arrays reachable through {@link CocoSummary#result()})
 * @param categoryNames ground-truth category id → name, for the JSON keys
 */
public record CocoMetricsResult(IouType iouType, CocoSummary summary, Map<Long, String> categoryNames) {

    public CocoMetricsResult {
        categoryNames = Map.copyOf(categoryNames);
    }

    /** {@code COCOeval.stats}: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl. */
    public double[] stats() {
        return summary.stats();
    }

    /** AP@[.5:.95] per category, keyed as {@link CocoSummaryFormat} documents, in category-id order. */
    public Map<String, Double> perCategoryAp() {
        return CocoSummaryFormat.perCategory(summary, categoryNames);
    }

    /** The 12 lines pycocotools' {@code summarize()} prints. */
    public String summaryText() {
        return CocoSummaryFormat.text(summary);
    }

    /** {@code {"iou_type": ..., "stats": [...], "per_category": {...}}}. */
    public String toJson() {
        return CocoSummaryFormat.json(summary, categoryNames);
    }
}
