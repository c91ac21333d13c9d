package org.detcon.orchestration.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quickstart report: a Markdown file and a self-contained HTML page (inline CSS and SVG, no external assets)
 * with the results table and each metric against pretraining steps for every method (the shape of the paper's
 * Figure 4).
 */
public final class QuickReport {

    /** One evaluated checkpoint. Metrics in [0, 1] except absRel. */
    public record Point(String method, long step, double miou, double pixelAccuracy, double delta1, double absRel) {
    }

    /** A metric to plot: name, how to read it off a point, and whether higher is better. */
    record Metric(String name, String label, java.util.function.ToDoubleFunction<Point> value, boolean percent,
            boolean higherIsBetter) {
    }

    static final List<Metric> METRICS = List.of(
            new Metric("miou", "Semantic segmentation, linear probe: mIoU (%)", Point::miou, true, true),
            new Metric("delta1", "Depth, linear probe: δ < 1.25 (%)", Point::delta1, true, true),
            new Metric("pixacc", "Semantic segmentation: pixel accuracy (%)", Point::pixelAccuracy, true, true),
            new Metric("absrel", "Depth: absolute relative error", Point::absRel, false, false));

    static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd"};

    private QuickReport() {
    }

    /** Writes {@code report.md} and {@code report.html} into {@code dir}; returns the HTML path. */
    public static Path write(Path dir, String title, List<Point> points, Map<String, String> settings,
            List<String> findings) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<Point>> byMethod = byMethod(points);
        Files.writeString(dir.resolve("report.md"), markdown(title, byMethod, settings, findings),
                StandardCharsets.UTF_8);
        Path html = dir.resolve("report.html");
        Files.writeString(html, html(title, byMethod, settings, findings), StandardCharsets.UTF_8);
        return html;
    }

    static Map<String, List<Point>> byMethod(List<Point> points) {
        Map<String, List<Point>> m = new LinkedHashMap<>();
        for (Point p : points) {
            m.computeIfAbsent(p.method(), k -> new ArrayList<>()).add(p);
        }
        for (List<Point> l : m.values()) {
            l.sort(java.util.Comparator.comparingLong(Point::step));
        }
        return m;
    }

    static String fmt(Metric m, double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return m.percent() ? String.format(Locale.ROOT, "%.1f", 100 * v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String markdown(String title, Map<String, List<Point>> byMethod, Map<String, String> settings,
            List<String> findings) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        if (!findings.isEmpty()) {
            for (String f : findings) {
                sb.append("- ").append(f).append('\n');
            }
            sb.append('\n');
        }
        sb.append("## Results at the last checkpoint\n\n");
        sb.append("| method | steps | mIoU (%) | pixel acc. (%) | δ<1.25 (%) | abs. rel. |\n|---|---:|---:|---:|---:|---:|\n");
        for (var e : byMethod.entrySet()) {
            Point last = e.getValue().get(e.getValue().size() - 1);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", e.getKey(), last.step(),
                    fmt(METRICS.get(0), last.miou()), fmt(METRICS.get(2), last.pixelAccuracy()),
                    fmt(METRICS.get(1), last.delta1()), fmt(METRICS.get(3), last.absRel())));
        }
        sb.append("\n## Every checkpoint\n\n| method | step | mIoU (%) | pixel acc. (%) | δ<1.25 (%) | abs. rel. |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (var e : byMethod.entrySet()) {
            for (Point p : e.getValue()) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", e.getKey(), p.step(),
                        fmt(METRICS.get(0), p.miou()), fmt(METRICS.get(2), p.pixelAccuracy()),
                        fmt(METRICS.get(1), p.delta1()), fmt(METRICS.get(3), p.absRel())));
            }
        }
        sb.append("\nPlots of each metric against pretraining steps: `report.html` (inline SVG).\n\n## Settings\n\n");
        for (var e : settings.entrySet()) {
            sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String html(String title, Map<String, List<Point>> byMethod, Map<String, String> settings,
            List<String> findings) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;"
                        + "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                        + "padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}"
                        + ".plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:13px;"
                        + "text-align:center}</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        if (!findings.isEmpty()) {
            sb.append("<ul>");
            for (String f : findings) {
                sb.append("<li>").append(esc(f)).append("</li>");
            }
            sb.append("</ul>\n");
        }
        sb.append("<h2>Results at the last checkpoint</h2>\n<table><tr><th>method</th><th>steps</th><th>mIoU (%)</th>"
                + "<th>pixel acc. (%)</th><th>&delta;&lt;1.25 (%)</th><th>abs. rel.</th></tr>\n");
        for (var e : byMethod.entrySet()) {
            Point last = e.getValue().get(e.getValue().size() - 1);
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td>"
                    + "<td>%s</td></tr>%n", esc(e.getKey()), last.step(), fmt(METRICS.get(0), last.miou()),
                    fmt(METRICS.get(2), last.pixelAccuracy()), fmt(METRICS.get(1), last.delta1()),
                    fmt(METRICS.get(3), last.absRel())));
        }
        sb.append("</table>\n<h2>Metrics against pretraining steps</h2>\n<div class=\"plots\">\n");
        for (Metric m : METRICS) {
            sb.append("<figure>").append(svg(m, byMethod)).append("<figcaption>").append(esc(m.label()))
                    .append("</figcaption></figure>\n");
        }
        sb.append("</div>\n<h2>Settings</h2>\n<ul>");
        for (var e : settings.entrySet()) {
            sb.append("<li>").append(esc(e.getKey())).append(": ").append(esc(e.getValue())).append("</li>");
        }
        sb.append("</ul>\n</body></html>\n");
        return sb.toString();
    }

    /** One line chart as inline SVG: x = steps, one polyline with markers per method, a legend. */
    static String svg(Metric m, Map<String, List<Point>> byMethod) {
        int w = 500;
        int h = 300;
        int left = 56;
        int right = 16;
        int top = 16;
        int bottom = 44;
        double xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        double scale = m.percent() ? 100 : 1;
        for (List<Point> l : byMethod.values()) {
            for (Point p : l) {
                xMax = Math.max(xMax, p.step());
                double v = m.value().applyAsDouble(p) * scale;
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (!Double.isFinite(yMin)) {
            yMin = 0;
            yMax = 1;
        }
        double pad = Math.max((yMax - yMin) * 0.1, 1e-3 * Math.max(1, Math.abs(yMax)));
        yMin -= pad;
        yMax += pad;
        final double y0 = yMin;
        final double y1 = yMax;
        final double xm = xMax;
        java.util.function.DoubleUnaryOperator px = x -> left + (w - left - right) * x / xm;
        java.util.function.DoubleUnaryOperator py = y -> top + (h - top - bottom) * (1 - (y - y0) / (y1 - y0));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-size=\"11\">", w, h, w, h, esc(m.label())));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", left, top, w - left - right, h - top - bottom));
        for (int i = 0; i <= 4; i++) {
            double yv = y0 + (y1 - y0) * i / 4;
            double yy = py.applyAsDouble(yv);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left, w - right, yy, yy, left - 4,
                    yy + 4, m.percent() ? String.format(Locale.ROOT, "%.1f", yv)
                            : String.format(Locale.ROOT, "%.3f", yv)));
            double xv = xm * i / 4;
            double xx = px.applyAsDouble(xv);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", xx,
                    h - bottom + 14, Math.round(xv)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">pretraining steps</text>",
                left + (w - left - right) / 2, h - 8));
        int c = 0;
        for (var e : byMethod.entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (Point p : e.getValue()) {
                double v = m.value().applyAsDouble(p) * scale;
                if (!Double.isFinite(v)) {
                    continue;
                }
                double xx = px.applyAsDouble(p.step());
                double yy = py.applyAsDouble(v);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, yy));
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s step %d: %s</title></circle>", xx, yy, colour, esc(e.getKey()), p.step(),
                        fmt(m, m.value().applyAsDouble(p))));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>", colour, pts.toString().trim())).append(marks);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", left + 10, top + 10 + 14 * c, colour, left + 26,
                    top + 14 + 14 * c, esc(e.getKey())));
            c++;
        }
        sb.append("</svg>");
        return sb.toString();
    }

    /** Convenience for callers that collect metrics as maps. */
    public static Map<String, String> settings(Object... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
        }
        return m;
    }
}
