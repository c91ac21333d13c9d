package org.detcon.eval.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.detcon.eval.metrics.depth.DepthEvaluation;
import org.detcon.eval.metrics.depth.DepthMetrics;

/** The result of {@link DepthMetricsJob}, with a text table and a JSON form. */
public record DepthMetricsReport(DepthEvaluation evaluation, DepthMetricsJob.Options options) {

    public DepthMetrics metrics() {
        return evaluation.metrics();
    }

    public String table() {
        DepthMetrics m = evaluation.metrics();
        String row = "%-14s %10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, row, "metric", "value"));
        sb.append(String.format(Locale.ROOT, row, "delta<1.25", Json.pct(m.delta1()) + "%"));
        sb.append(String.format(Locale.ROOT, row, "delta<1.25^2", Json.pct(m.delta2()) + "%"));
        sb.append(String.format(Locale.ROOT, row, "delta<1.25^3", Json.pct(m.delta3()) + "%"));
        sb.append(String.format(Locale.ROOT, row, "abs rel", num(m.absRel())));
        sb.append(String.format(Locale.ROOT, row, "sq rel", num(m.sqRel())));
        sb.append(String.format(Locale.ROOT, row, "RMSE", num(m.rmse())));
        sb.append(String.format(Locale.ROOT, row, "RMSE log", num(m.rmseLog())));
        sb.append(String.format(Locale.ROOT, row, "log10", num(m.log10())));
        sb.append(String.format(Locale.ROOT, "%d images (%d without valid pixels), %d valid pixels; %s; valid "
                + "depth [%s, %s] m; predictions %s%n", evaluation.images(), evaluation.imagesWithoutValidPixels(),
                evaluation.validPixels(), averagingText(), fmt(options.range().min()), fmt(options.range().max()),
                options.clampPredictions() ? "clamped to that range" : "not clamped"));
        return sb.toString();
    }

    private String averagingText() {
        return switch (evaluation.averaging()) {
            case PER_IMAGE_MEAN -> "mean of per-image metrics";
            case POOLED_PIXELS -> "pooled over all valid pixels";
        };
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** JSON; threshold accuracies as fractions ({@code metrics}) and percentages ({@code percent}). */
    public ObjectNode toJsonNode() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("task", "depth");
        root.put("averaging", evaluation.averaging().name().toLowerCase(Locale.ROOT));
        root.put("min_depth", options.range().min());
        root.put("max_depth", options.range().max());
        root.put("clamp_predictions", options.clampPredictions());
        root.put("images", evaluation.images());
        root.put("images_without_valid_pixels", evaluation.imagesWithoutValidPixels());
        root.put("valid_pixels", evaluation.validPixels());
        ObjectNode metrics = root.putObject("metrics");
        evaluation.metrics().asMap().forEach((k, v) -> Json.put(metrics, k, v));
        ObjectNode pct = root.putObject("percent");
        Json.put(pct, "delta1", evaluation.metrics().delta1Percent());
        Json.put(pct, "delta2", evaluation.metrics().delta2Percent());
        Json.put(pct, "delta3", evaluation.metrics().delta3Percent());
        return root;
    }

    public String toJson() {
        return Json.write(toJsonNode());
    }
}
