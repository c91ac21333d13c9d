package org.detcon.orchestration.report;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/** A line chart as inline SVG (no external assets): one polyline per series, whiskers for the seed range, a legend. */
final class Plot {

    /** A series: its name and points {x, mean, lowest seed, highest seed}. */
    record Series(String name, List<double[]> points) {
    }

    static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
        "#7f7f7f"};

    private Plot() {
    }

    static String svg(String label, String xLabel, List<Series> series, boolean percent) {
        int w = 500;
        int h = 300;
        int left = 56;
        int right = 16;
        int top = 16;
        int bottom = 44;
        double xMax = 1;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        double scale = percent ? 100 : 1;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMax = Math.max(xMax, p[0]);
                for (int k = 1; k < 4; k++) {
                    if (Double.isFinite(p[k])) {
                        yMin = Math.min(yMin, p[k] * scale);
                        yMax = Math.max(yMax, p[k] * scale);
                    }
                }
            }
        }
        if (!Double.isFinite(yMin)) {
            yMin = 0;
            yMax = 1;
        }
        double pad = Math.max((yMax - yMin) * 0.1, 1e-3 * Math.max(1, Math.abs(yMax)));
        final double y0 = yMin - pad;
        final double y1 = yMax + pad;
        final double xm = xMax;
        DoubleUnaryOperator px = x -> left + (w - left - right) * x / xm;
        DoubleUnaryOperator py = y -> top + (h - top - bottom) * (1 - (y - y0) / (y1 - y0));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-size=\"11\">", w, h, w, h,
                SweepReport.esc(label)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", left, top, w - left - right, h - top - bottom));
        for (int i = 0; i <= 4; i++) {
            double yv = y0 + (y1 - y0) * i / 4;
            double yy = py.applyAsDouble(yv);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left, w - right, yy, yy, left - 4,
                    yy + 4, String.format(Locale.ROOT, percent ? "%.1f" : "%.3f", yv)));
            double xv = xm * i / 4;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                    px.applyAsDouble(xv), h - bottom + 14, Math.round(xv)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + (w - left - right) / 2, h - 8, SweepReport.esc(xLabel)));
        int c = 0;
        for (Series s : series) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                double xx = px.applyAsDouble(p[0]);
                double yy = py.applyAsDouble(p[1] * scale);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, yy));
                if (Double.isFinite(p[2]) && Double.isFinite(p[3]) && p[3] > p[2]) {
                    marks.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\""
                            + " stroke=\"%s\"/>", xx, xx, py.applyAsDouble(p[2] * scale),
                            py.applyAsDouble(p[3] * scale), colour));
                }
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                        + "<title>%s at %d: %s</title></circle>", xx, yy, colour, SweepReport.esc(s.name()),
                        Math.round(p[0]), String.format(Locale.ROOT, percent ? "%.1f" : "%.4f", p[1] * scale)));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>", colour, pts.toString().trim())).append(marks);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", left + 10, top + 10 + 14 * c, colour, left + 26,
                    top + 14 + 14 * c, SweepReport.esc(s.name())));
            c++;
        }
        return sb.append("</svg>").toString();
    }
}
