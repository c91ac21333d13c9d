package org.detcon.orchestration.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.orchestration.sweep.Cell;
import org.detcon.orchestration.sweep.SweepFile;
import org.detcon.orchestration.sweep.SweepResults;
import org.detcon.trainer.train.Method;

/**
 * A sweep's report, from what the run store holds: {@code report.md}, a self-contained {@code report.html} (inline
 * CSS and SVG) and {@code results.csv} in long format (sweep, cell, the axes, seed, step, task, metric, value).
 * <ul>
 *   <li>the paper-style table: the report's rows (axis values) × columns ({@code EVAL.KEY}) at the end of
 *   pretraining, mean ± standard deviation over the seeds with n, the best row marked, a missing value shown with
 *   its status, and the paper's number beside ours where the paper has one ({@link PaperNumbers});</li>
 *   <li>findings that follow the {@link Comparison} rule: a row is called ahead of another only when its worst seed
 *   beats the other's best;</li>
 *   <li>each column against pretraining steps (mean over seeds, whiskers from the worst to the best seed), and the
 *   pretraining loss;</li>
 *   <li>every cell with its hash and per-seed values, the settings, and the machine the numbers come from.</li>
 * </ul>
 */
public final class SweepReport {

    /** What was written, and the findings. */
    public record Written(Path dir, Path markdown, Path html, Path csv, List<String> findings) {
    }

    /** A row of the table: its name and its cells (one per seed). */
    record Row(String name, String method, List<SweepResults.CellResult> cells) {
    }

    /** A column: {@code eval.metric} and how the eval describes the metric. */
    record Column(String id, String eval, EvalJob.Metric metric) {
        String fmt(double v) {
            if (Double.isNaN(v)) {
                return "-";
            }
            return metric.fraction() ? String.format(Locale.ROOT, "%.1f", 100 * v)
                    : String.format(Locale.ROOT, "%.4f", v);
        }
    }

    private final SweepResults results;
    private final SweepFile file;
    private final List<Row> rows;
    private final List<Column> columns;

    private SweepReport(SweepResults results) {
        this.results = results;
        this.file = results.plan().file();
        this.rows = rows(results, file.report().rows());
        this.columns = new ArrayList<>();
        for (String c : file.report().columns()) {
            int dot = c.indexOf('.');
            EvalJob job = EvalJobs.get(c.substring(0, dot));
            columns.add(new Column(c, job.name(), job.metric(c.substring(dot + 1))));
        }
    }

    /** Writes the report into {@code dir}. */
    public static Written write(SweepResults results, Path dir) throws IOException {
        return new SweepReport(results).write(dir);
    }

    private Written write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> findings = findings();
        Path md = dir.resolve("report.md");
        Path html = dir.resolve("report.html");
        Path csv = dir.resolve("results.csv");
        String machine = Machine.describe();
        Files.writeString(md, markdown(findings, machine), StandardCharsets.UTF_8);
        Files.writeString(html, html(findings, machine), StandardCharsets.UTF_8);
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        return new Written(dir, md, html, csv, findings);
    }

    static List<Row> rows(SweepResults results, List<String> rowAxes) {
        Map<String, Row> out = new LinkedHashMap<>();
        for (SweepResults.CellResult c : results.cells()) {
            List<String> parts = new ArrayList<>();
            String method = null;
            for (String axis : rowAxes) {
                JsonNode v = c.cell().axes().get(axis);
                if (axis.equals("method")) {
                    method = v.asText();
                    parts.add(displayMethod(method));
                } else {
                    parts.add(axis + "=" + Cell.text(v));
                }
            }
            if (method == null) {
                method = c.cell().train().method().name().toLowerCase(Locale.ROOT);
                if (rowAxes.isEmpty()) {
                    parts.add(c.cell().train().method().displayName());
                }
            }
            String name = String.join(", ", parts);
            String m = method;
            out.computeIfAbsent(name, k -> new Row(k, m, new ArrayList<>())).cells().add(c);
        }
        return new ArrayList<>(out.values());
    }

    static String displayMethod(String method) {
        try {
            return Method.valueOf(method.toUpperCase(Locale.ROOT)).displayName();
        } catch (IllegalArgumentException e) {
            return method;
        }
    }

    /** The final values of a column in a row (one per seed that has it). */
    private static List<Double> finals(Row r, Column c) {
        List<Double> v = new ArrayList<>();
        for (SweepResults.CellResult cell : r.cells()) {
            cell.value(c.eval(), c.metric().key(), cell.totalSteps()).ifPresent(v::add);
        }
        return v;
    }

    private static List<Double> at(Row r, Column c, long step) {
        List<Double> v = new ArrayList<>();
        for (SweepResults.CellResult cell : r.cells()) {
            cell.value(c.eval(), c.metric().key(), step).ifPresent(v::add);
        }
        return v;
    }

    /** The evaluated pretraining steps (the final one included), ascending. */
    private TreeSet<Long> steps() {
        TreeSet<Long> s = new TreeSet<>();
        for (SweepResults.CellResult c : results.cells()) {
            c.evals().forEach(e -> s.add(e.step()));
        }
        return s;
    }

    private List<String> findings() {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            List<SeedStats> stats = rows.stream().map(r -> SeedStats.of(finals(r, c))).toList();
            int best = best(stats, c);
            if (best < 0 || rows.size() < 2) {
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                if (i != best && stats.get(i).n() > 0) {
                    out.add(Comparison.sentence(c.id(), rows.get(best).name(), stats.get(best), rows.get(i).name(),
                            stats.get(i), c.metric().higherIsBetter(), c::fmt));
                }
            }
        }
        return out;
    }

    /** The row with the best mean, or -1 when no row has a value. */
    private static int best(List<SeedStats> stats, Column c) {
        int best = -1;
        for (int i = 0; i < stats.size(); i++) {
            SeedStats s = stats.get(i);
            if (s.n() == 0) {
                continue;
            }
            if (best < 0 || (c.metric().higherIsBetter() ? s.mean() > stats.get(best).mean()
                    : s.mean() < stats.get(best).mean())) {
                best = i;
            }
        }
        return best;
    }

    /** A table cell: mean ± std (n), or the missing value's status. */
    private String cellText(Row r, Column c, SeedStats s) {
        if (s.n() == 0) {
            return missing(r, c);
        }
        String v = s.n() > 1 ? c.fmt(s.mean()) + " ± " + c.fmt(s.std()) + " (n=" + s.n() + ")"
                : c.fmt(s.mean()) + " (n=1)";
        if (s.n() < r.cells().size()) {
            v += "; " + (r.cells().size() - s.n()) + " seed(s) " + missing(r, c);
        }
        Optional<PaperNumbers.Reference> p = PaperNumbers.lookup(c.eval(), c.metric().key(), r.method());
        if (p.isPresent()) {
            v += " · paper " + String.format(Locale.ROOT, "%.1f", p.get().value());
        }
        return v;
    }

    /** The statuses of a column's missing final values in a row: "pending", "failed", ... */
    private static String missing(Row r, Column c) {
        TreeSet<String> st = new TreeSet<>();
        for (SweepResults.CellResult cell : r.cells()) {
            if (cell.value(c.eval(), c.metric().key(), cell.totalSteps()).isPresent()) {
                continue;
            }
            if (!cell.pretrain().done()) {
                st.add("pretraining " + cell.pretrain().status());
            } else {
                st.add(cell.evalState(c.eval(), cell.totalSteps()).status());
            }
        }
        return String.join(", ", st);
    }

    private String markdown(List<String> findings, String machine) {
        StringBuilder sb = new StringBuilder("# ").append(file.report().title()).append("\n\n");
        if (file.description() != null) {
            sb.append(file.description()).append("\n\n");
        }
        sb.append("Numbers from: ").append(machine).append(".\n\n");
        if (!findings.isEmpty()) {
            sb.append("## Findings\n\n");
            findings.forEach(f -> sb.append("- ").append(f).append('\n'));
            sb.append('\n');
        }
        sb.append("## Results at the end of pretraining\n\nMean ± standard deviation over seeds (n seeds); best row in"
                + " bold; fractions in %.\n\n| |");
        columns.forEach(c -> sb.append(' ').append(c.id()).append(" |"));
        sb.append("\n|---|");
        columns.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.name()).append(" |");
            for (Column c : columns) {
                List<SeedStats> all = rows.stream().map(x -> SeedStats.of(finals(x, c))).toList();
                SeedStats s = SeedStats.of(finals(r, c));
                String t = cellText(r, c, s);
                boolean isBest = s.n() > 0 && rows.indexOf(r) == best(all, c) && rows.size() > 1;
                sb.append(' ').append(isBest ? "**" + t + "**" : t).append(" |");
            }
            sb.append('\n');
        }
        TreeSet<Long> steps = steps();
        if (steps.size() > 1) {
            sb.append("\n## Along pretraining\n\nMean over seeds at each evaluated step (worst to best seed).\n");
            for (Column c : columns) {
                sb.append("\n### ").append(c.id()).append(" (").append(c.metric().label()).append(")\n\n| |");
                steps.forEach(s -> sb.append(" step ").append(s).append(" |"));
                sb.append("\n|---|");
                steps.forEach(s -> sb.append("---:|"));
                sb.append('\n');
                for (Row r : rows) {
                    sb.append("| ").append(r.name()).append(" |");
                    for (long step : steps) {
                        SeedStats s = SeedStats.of(at(r, c, step));
                        sb.append(' ').append(s.n() == 0 ? "-" : c.fmt(s.mean()) + (s.n() > 1 ? " (" + c.fmt(s.min())
                                + "–" + c.fmt(s.max()) + ")" : "")).append(" |");
                    }
                    sb.append('\n');
                }
            }
        }
        sb.append("\n## Cells\n\n| cell | ").append(file.report().rows().isEmpty() ? "" : "axes | ")
                .append("seed | pretraining | final loss |");
        columns.forEach(c -> sb.append(' ').append(c.id()).append(" |"));
        sb.append("\n|---|").append(file.report().rows().isEmpty() ? "" : "---|").append("---:|---|---:|");
        columns.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        for (SweepResults.CellResult c : results.cells()) {
            sb.append("| `").append(c.cell().id()).append("` | ");
            if (!file.report().rows().isEmpty()) {
                sb.append(c.cell().label().replace(" seed=" + c.cell().seed(), "")).append(" | ");
            }
            sb.append(c.cell().seed()).append(" | ").append(c.pretrain().status())
                    .append(c.pretrain().error() != null ? ": " + c.pretrain().error() : "").append(" | ")
                    .append(c.loss().isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f",
                            c.loss().get(c.loss().size() - 1)[1])).append(" |");
            for (Column col : columns) {
                Optional<Double> v = c.value(col.eval(), col.metric().key(), c.totalSteps());
                sb.append(' ').append(v.map(col::fmt).orElse(c.evalState(col.eval(), c.totalSteps()).status()))
                        .append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nPlots of each column and of the pretraining loss against steps: `report.html`. Every value in"
                + " long format: `results.csv`.\n\n## Settings\n\n");
        settings().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    private Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep", file.name() + " (" + file.file() + ")");
        m.put("base", file.baseSource());
        StringBuilder grid = new StringBuilder();
        file.grid().forEach((k, v) -> grid.append(grid.length() == 0 ? "" : "; ").append(k).append(" ")
                .append(v.stream().map(Cell::text).toList()));
        m.put("grid", grid.length() == 0 ? "(none)" : grid.toString());
        m.put("seeds", file.seeds().toString());
        if (!file.exclude().isEmpty()) {
            m.put("excluded", file.exclude().toString());
        }
        if (file.data() != null) {
            SweepFile.Synth g = file.data().synth();
            m.put("data", g != null ? String.format(Locale.ROOT, "generated scenes (detcon data synth): %d train +"
                    + " %d val images of %d px, seed %d", g.images(), g.valImages(), g.size(), g.seed())
                    : file.data().uri());
        }
        if (file.masks() != null) {
            m.put("masks", file.masks().sets() + " on " + file.masks().runner());
        }
        StringBuilder ev = new StringBuilder();
        file.evals().forEach(e -> ev.append(ev.length() == 0 ? "" : "; ").append(e.name()).append(' ')
                .append(EvalJobs.get(e.name()).resolve(e.settings())));
        m.put("evals", ev.length() == 0 ? "(none)" : ev.toString());
        m.put("working directory", results.plan().workdir() + " (run store .detcon/runs.mv.db: detcon runs list)");
        if (!results.plan().localOutputs()) {
            m.put("step outputs", results.plan().outputs());
        }
        return m;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private String html(List<String> findings, String machine) {
        StringBuilder sb = new StringBuilder();
        String title = file.report().title();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;"
                        + "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                        + "padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}"
                        + ".best{font-weight:bold;background:#eef6ee}.missing{color:#a33}.plots{display:flex;"
                        + "flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-size:13px;text-align:center}"
                        + "code{font-size:12px}</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        if (file.description() != null) {
            sb.append("<p>").append(esc(file.description())).append("</p>\n");
        }
        sb.append("<p>Numbers from: ").append(esc(machine)).append(".</p>\n");
        if (!findings.isEmpty()) {
            sb.append("<h2>Findings</h2>\n<ul>");
            findings.forEach(f -> sb.append("<li>").append(esc(f)).append("</li>"));
            sb.append("</ul>\n");
        }
        sb.append("<h2>Results at the end of pretraining</h2>\n<p>Mean ± standard deviation over seeds (n seeds);"
                + " best row highlighted; fractions in %.</p>\n<table><tr><th></th>");
        columns.forEach(c -> sb.append("<th>").append(esc(c.id())).append("<br><small>").append(esc(c.metric()
                .label())).append("</small></th>"));
        sb.append("</tr>\n");
        for (Row r : rows) {
            sb.append("<tr><td>").append(esc(r.name())).append("</td>");
            for (Column c : columns) {
                List<SeedStats> all = rows.stream().map(x -> SeedStats.of(finals(x, c))).toList();
                SeedStats s = SeedStats.of(finals(r, c));
                boolean isBest = s.n() > 0 && rows.indexOf(r) == best(all, c) && rows.size() > 1;
                sb.append("<td class=\"").append(isBest ? "best" : s.n() == 0 ? "missing" : "").append("\">")
                        .append(esc(cellText(r, c, s))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<h2>Against pretraining steps</h2>\n<div class=\"plots\">\n");
        TreeSet<Long> steps = steps();
        for (Column c : columns) {
            List<Plot.Series> series = new ArrayList<>();
            for (Row r : rows) {
                List<double[]> pts = new ArrayList<>();
                for (long step : steps) {
                    SeedStats s = SeedStats.of(at(r, c, step));
                    if (s.n() > 0) {
                        pts.add(new double[] {step, s.mean(), s.min(), s.max()});
                    }
                }
                series.add(new Plot.Series(r.name(), pts));
            }
            sb.append("<figure>").append(Plot.svg(c.id(), "pretraining steps", series, c.metric().fraction()))
                    .append("<figcaption>").append(esc(c.id() + ": " + c.metric().label())).append("</figcaption>"
                            + "</figure>\n");
        }
        List<Plot.Series> loss = new ArrayList<>();
        for (Row r : rows) {
            Map<Long, List<Double>> byStep = new java.util.TreeMap<>();
            for (SweepResults.CellResult c : r.cells()) {
                for (double[] p : c.loss()) {
                    byStep.computeIfAbsent((long) p[0], k -> new ArrayList<>()).add(p[1]);
                }
            }
            List<double[]> pts = new ArrayList<>();
            byStep.forEach((step, v) -> {
                SeedStats s = SeedStats.of(v);
                pts.add(new double[] {step, s.mean(), s.min(), s.max()});
            });
            loss.add(new Plot.Series(r.name(), pts));
        }
        sb.append("<figure>").append(Plot.svg("pretraining loss", "pretraining steps", loss, false))
                .append("<figcaption>pretraining loss (mean over seeds; each method's own loss)</figcaption>"
                        + "</figure>\n</div>\n");
        sb.append("<h2>Cells</h2>\n<table><tr><th>cell</th><th>axes, seed</th><th>pretraining</th>");
        columns.forEach(c -> sb.append("<th>").append(esc(c.id())).append("</th>"));
        sb.append("</tr>\n");
        for (SweepResults.CellResult c : results.cells()) {
            sb.append("<tr><td><code>").append(c.cell().id()).append("</code></td><td>").append(esc(c.cell().label()))
                    .append("</td><td>").append(esc(c.pretrain().status() + (c.pretrain().error() != null ? ": "
                            + c.pretrain().error() : ""))).append("</td>");
            for (Column col : columns) {
                Optional<Double> v = c.value(col.eval(), col.metric().key(), c.totalSteps());
                sb.append("<td>").append(esc(v.map(col::fmt).orElse(c.evalState(col.eval(), c.totalSteps())
                        .status()))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<h2>Settings</h2>\n<ul>");
        settings().forEach((k, v) -> sb.append("<li>").append(esc(k)).append(": ").append(esc(v)).append("</li>"));
        sb.append("</ul>\n</body></html>\n");
        return sb.toString();
    }

    private String csv() {
        StringBuilder sb = new StringBuilder("sweep,cell");
        List<String> axes = new ArrayList<>(file.grid().keySet());
        axes.forEach(a -> sb.append(',').append(csvField(a)));
        sb.append(",seed,step,task,metric,value\n");
        for (SweepResults.CellResult c : results.cells()) {
            StringBuilder prefix = new StringBuilder(csvField(file.name())).append(',').append(c.cell().id());
            axes.forEach(a -> prefix.append(',').append(csvField(Cell.text(c.cell().axes().get(a)))));
            prefix.append(',').append(c.cell().seed());
            for (double[] p : c.loss()) {
                sb.append(prefix).append(',').append((long) p[0]).append(",pretrain,loss,")
                        .append(number(p[1])).append('\n');
            }
            for (SweepResults.EvalState e : c.evals()) {
                if (!e.state().done()) {
                    continue;
                }
                for (EvalJob.Metric m : EvalJobs.get(e.target().eval()).metrics()) {
                    Double v = e.state().metrics().get(m.key());
                    if (v != null) {
                        sb.append(prefix).append(',').append(e.step()).append(',').append(e.target().eval())
                                .append(',').append(m.key()).append(',').append(number(v))
                                .append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Six significant digits, without trailing zeros. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
