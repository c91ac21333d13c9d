package org.detcon.eval.coco.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.EvalParams;

/**
 * Renders a {@link CocoSummary}: the pycocotools text (exactly the 12 lines {@code COCOeval.summarize()} prints) and
 * a JSON form.
 *
 * <p>JSON: {@code {"iou_type": "bbox"|"segm", "stats": [12 numbers], "per_category": {KEY: AP, ...}}}. Numbers are
 * full precision (shortest decimal that reads back as the same double); {@code -1} means "no ground truth" as in
 * pycocotools. {@code per_category} holds AP@[.5:.95] (area {@code all}, largest maxDets) per evaluated category in
 * ascending category-id order; KEY is the category {@code name} when every evaluated category has a distinct,
 * non-empty name, otherwise the category id (decimal) for all of them. With {@code useCats=false} the single entry
 * is keyed {@code "-1"}.
 */
public final class CocoSummaryFormat {

    private CocoSummaryFormat() {
    }

    /** The 12 summary lines as pycocotools prints them, joined by {@code \n} (with a trailing newline). */
    public static String text(CocoSummary summary) {
        EvalParams p = summary.result().params();
        double[] thr = p.iouThrs();
        CocoSummary.Line[] lines = summary.lines();
        double[] stats = summary.stats();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            CocoSummary.Line l = lines[i];
            String title = l.ap() ? "Average Precision" : "Average Recall";
            String type = l.ap() ? "(AP)" : "(AR)";
            String iou = l.iouThr() == null ? pyFixed(thr[0], 2) + ":" + pyFixed(thr[thr.length - 1], 2)
                    : pyFixed(l.iouThr(), 2);
            // ' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'
            sb.append(' ').append(padRight(title, 18)).append(' ').append(type).append(" @[ IoU=")
                    .append(padRight(iou, 9)).append(" | area=").append(padLeft(l.areaRng(), 6))
                    .append(" | maxDets=").append(padLeft(Integer.toString(l.maxDets()), 3)).append(" ] = ")
                    .append(pyFixed(stats[i], 3)).append('\n');
        }
        return sb.toString();
    }

    /** The per-category keys (see class doc), in evaluated-category order. */
    public static String[] categoryKeys(long[] catIds, Map<Long, String> names) {
        String[] keys = new String[catIds.length];
        boolean useNames = true;
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < catIds.length; k++) {
            String n = names.get(catIds[k]);
            if (n == null || n.isEmpty() || !seen.add(n)) {
                useNames = false;
            }
            keys[k] = n;
        }
        if (!useNames) {
            for (int k = 0; k < catIds.length; k++) {
                keys[k] = Long.toString(catIds[k]);
            }
        }
        return keys;
    }

    /** Per-category AP keyed as described in the class doc, in category-id order. */
    public static Map<String, Double> perCategory(CocoSummary summary, Map<Long, String> names) {
        long[] cats = summary.result().catIds();
        String[] keys = categoryKeys(cats, names);
        double[] ap = summary.perCategoryAp();
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < cats.length; k++) {
            m.put(keys[k], ap[k]);
        }
        return m;
    }

    /** The JSON form (see class doc), pretty-printed. */
    public static String json(CocoSummary summary, Map<Long, String> names) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("iou_type", summary.result().params().iouType().cocoName());
            g.writeArrayFieldStart("stats");
            for (double s : summary.stats()) {
                g.writeNumber(s);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("per_category");
            for (Map.Entry<String, Double> e : perCategory(summary, names).entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString() + "\n";
    }

    /**
     * Python's {@code '{:0.Nf}'.format(v)}: the exact binary value rounded half-to-even to {@code digits} places.
     */
    public static String pyFixed(double v, int digits) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        if (negative && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    private static String padRight(String s, int w) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < w) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String padLeft(String s, int w) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < w; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }
}
