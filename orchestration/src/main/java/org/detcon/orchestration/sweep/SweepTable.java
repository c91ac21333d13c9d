package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sweep plan} and {@code sweep status} as text (one line per cell: hash, axis values, seed, the state of its
 * pretraining and evaluations; with {@code detail}, attempts, times and errors too) and as JSON.
 */
public final class SweepTable {

    private SweepTable() {
    }

    public static void print(SweepResults r, PrintWriter out, boolean detail) {
        SweepPlan p = r.plan();
        SweepFile f = p.file();
        List<String> axes = new ArrayList<>(f.grid().keySet());
        StringBuilder shape = new StringBuilder();
        f.grid().forEach((k, v) -> shape.append(k).append(' ').append(v.size()).append(" x "));
        out.printf(Locale.ROOT, "sweep %s (%s): %d cells = %sseeds %d%s; working directory %s%s%n", f.name(),
                f.file(), p.cells().size(), shape, f.seeds().size(), f.exclude().isEmpty() ? ""
                        : ", " + f.exclude().size() + " exclusion rule(s)", p.workdir(), p.localOutputs() ? ""
                        : "; step outputs " + p.outputs());
        if (r.data() != null) {
            out.printf(Locale.ROOT, "  data   %s  %s%s%n", p.data().key().substring(0, 12), state(r.data(), detail),
                    " -> " + p.data().dir());
        }
        if (r.masks() != null) {
            out.printf(Locale.ROOT, "  masks  %s  %s%s%n", p.masks().key().substring(0, 12), state(r.masks(),
                    detail), " -> " + p.masks().dir());
        }
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("CELL"));
        head.addAll(axes);
        head.addAll(List.of("SEED", "PRETRAIN", "EVALS"));
        rows.add(head.toArray(new String[0]));
        List<String> notes = new ArrayList<>();
        for (SweepResults.CellResult c : r.cells()) {
            List<String> row = new ArrayList<>(List.of(c.cell().id()));
            for (String a : axes) {
                row.add(Cell.text(c.cell().axes().get(a)));
            }
            row.add(Long.toString(c.cell().seed()));
            row.add(state(c.pretrain(), detail));
            long done = c.evals().stream().filter(e -> e.state().done()).count();
            long failed = c.evals().stream().filter(e -> e.state().status().equals("failed")).count();
            row.add(done + "/" + c.evals().size() + " done" + (failed > 0 ? ", " + failed + " failed" : ""));
            rows.add(row.toArray(new String[0]));
            if (c.pretrain().error() != null && !c.pretrain().done()) {
                notes.add(c.cell().id() + " pretrain: " + c.pretrain().error());
            }
            for (SweepResults.EvalState e : c.evals()) {
                if (e.state().error() != null && !e.state().done()) {
                    notes.add(c.cell().id() + " " + e.target().label() + ": " + e.state().error());
                }
            }
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + w[i] + "s", row[i])).append(i + 1 < row.length ? "  " : "");
            }
            out.println(sb.toString().stripTrailing());
        }
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
            counts.append(counts.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
        }
        out.println("steps: " + counts + (r.cells().stream().anyMatch(c -> !c.pretrain().done())
                ? " (evaluations are counted once their backbones exist)" : ""));
        for (String n : notes) {
            out.println("  " + n);
        }
        out.flush();
    }

    private static String state(SweepResults.StepState s, boolean detail) {
        if (!detail || s.attempts() == 0) {
            return s.status();
        }
        return String.format(Locale.ROOT, "%s (%d attempt%s%s)", s.status(), s.attempts(), s.attempts() == 1 ? ""
                : "s", Double.isNaN(s.seconds()) ? "" : String.format(Locale.ROOT, ", %.0f s", s.seconds()));
    }

    public static ObjectNode json(SweepResults r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        SweepPlan p = r.plan();
        o.put("sweep", p.file().name()).put("file", p.file().file().toString()).put("workdir", p.workdir().toString())
                .put("outputs", p.outputs());
        if (r.data() != null) {
            o.set("data", step(r.data(), p.data()));
        }
        if (r.masks() != null) {
            o.set("masks", step(r.masks(), p.masks()));
        }
        ArrayNode cells = o.putArray("cells");
        for (SweepResults.CellResult c : r.cells()) {
            ObjectNode co = cells.addObject();
            co.put("id", c.cell().id()).put("hash", c.cell().hash());
            ObjectNode axes = co.putObject("axes");
            c.cell().axes().forEach(axes::set);
            co.put("seed", c.cell().seed());
            co.set("pretrain", step(c.pretrain(), p.pretrainOf(c.cell())));
            ArrayNode evals = co.putArray("evals");
            for (SweepResults.EvalState e : c.evals()) {
                ObjectNode eo = evals.addObject();
                eo.put("eval", e.target().eval()).put("step", e.step()).put("status", e.state().status());
                if (e.state().key() != null) {
                    eo.put("key", e.state().key());
                }
                ObjectNode m = eo.putObject("metrics");
                e.state().metrics().forEach(m::put);
                if (e.state().error() != null) {
                    eo.put("error", e.state().error());
                }
            }
        }
        return o;
    }

    private static ObjectNode step(SweepResults.StepState s, PlannedStep p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("key", p.key()).put("dir", p.dir()).put("status", s.status()).put("attempts", s.attempts());
        if (s.error() != null) {
            o.put("error", s.error());
        }
        ObjectNode m = o.putObject("metrics");
        s.metrics().forEach(m::put);
        return o;
    }
}
