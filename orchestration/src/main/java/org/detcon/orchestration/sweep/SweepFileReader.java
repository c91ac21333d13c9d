package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.YamlDocument;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.trainer.run.TrainConfigYaml;

/**
 * Reads a sweep file strictly: an unknown key, a value of the wrong kind, an axis that names no config field, an
 * empty axis, an exclusion that matches nothing, a missing base, an unknown eval or report column is a
 * {@link ConfigFileException} naming the file, the line and the key. (Cells the trainer would reject, and cells that
 * come out identical, are found when the sweep is planned: {@link Planner}.)
 * <pre>
 * name: table1-small
 * base: configs/cpu-detcon_b-r18-96.yaml      # a train config (path or inline mapping); axes override its fields
 * seeds: [0, 1, 2]
 * grid: {method: [detcon_b, byol], optimizer.base_lr: [1.0, 2.0]}
 * exclude: [{method: byol, optimizer.base_lr: 2.0}]
 * data: {synth: {images: 1000, val_images: 200, size: 96}}    # or a URI
 * masks: {sets: [fh:1000], runner: flink}      # its output is each cell's data.uri
 * evals: [probe]                               # or [{probe: {input: 192}}]
 * eval_at_steps: [0, 25, 50, 75, 100]
 * report: {rows: [method], columns: [probe.miou, probe.delta1], aggregate: mean_std}
 * retries: 1
 * </pre>
 */
public final class SweepFileReader {

    private static final Set<String> KEYS = Set.of("name", "description", "base", "seeds", "grid", "exclude", "data",
            "masks", "evals", "eval_at_steps", "report", "retries");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final YamlDocument doc;
    private final Path file;

    private SweepFileReader(YamlDocument doc, Path file) {
        this.doc = doc;
        this.file = file;
    }

    public static SweepFile read(Path file) {
        return new SweepFileReader(YamlDocument.read(file), file).read();
    }

    /** Reads sweep YAML text as if it were {@code file} (relative base paths resolve against its folder). */
    public static SweepFile parse(String yaml, Path file) {
        return new SweepFileReader(YamlDocument.parse(yaml, file.toString()), file).read();
    }

    /** An error at {@code path} (levels separated by '/', as in {@code grid/optimizer.base_lr/1}). */
    private ConfigFileException error(String path, String message) {
        return doc.error(pointer(path), path.replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.'), message);
    }

    /** A JSON pointer from a path of keys and indices written as a.b[2].c. */
    private static JsonPointer pointer(String path) {
        JsonPointer p = JsonPointer.empty();
        if (path.isEmpty()) {
            return p;
        }
        // axis keys contain dots: paths here are built with '/' between levels
        for (String part : path.split("/")) {
            p = part.matches("\\d+") ? p.appendIndex(Integer.parseInt(part)) : p.appendProperty(part);
        }
        return p;
    }

    private SweepFile read() {
        JsonNode root = doc.root();
        if (!root.isObject()) {
            throw error("", "expected a mapping with name, base, seeds, grid, ...");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw error(k, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        String name = text(root, "name", true);
        if (!NAME.matcher(name).matches()) {
            throw error("name", "use letters, digits, '_', '.' and '-' (it names the report's folder), got '"
                    + name + "'");
        }
        String description = text(root, "description", false);
        ObjectNode base;
        String baseSource;
        JsonNode b = root.get("base");
        if (b == null || b.isNull()) {
            throw error("base", "is required: a train config file (e.g. configs/cpu-detcon_b-r18-96.yaml) or an"
                    + " inline mapping");
        } else if (b.isObject()) {
            base = (ObjectNode) b.deepCopy();
            baseSource = file + " (inline base)";
        } else if (b.isTextual()) {
            Path p = resolveBase(b.asText());
            try {
                JsonNode tree = YamlDocument.read(p).root();
                if (!tree.isObject()) {
                    throw error("base", p + " is not a mapping of config fields");
                }
                base = (ObjectNode) tree.deepCopy();
            } catch (ConfigFileException e) {
                throw error("base", e.getMessage());
            }
            baseSource = p.toString();
        } else {
            throw error("base", "expected a file path or a mapping, got " + b);
        }
        List<Long> seeds = longs(root, "seeds", List.of(0L));
        if (seeds.isEmpty()) {
            throw error("seeds", "give at least one seed");
        }
        if (new HashSet<>(seeds).size() != seeds.size()) {
            throw error("seeds", "a seed is listed twice: " + seeds);
        }
        LinkedHashMap<String, List<JsonNode>> grid = grid(root.get("grid"));
        List<Map<String, JsonNode>> exclude = exclude(root.get("exclude"), grid);
        SweepFile.Data data = data(root.get("data"));
        SweepFile.Masks masks = masks(root.get("masks"), data);
        List<SweepFile.Eval> evals = evals(root.get("evals"));
        for (int i = 0; i < evals.size(); i++) {
            if (evals.get(i).dataRoot() == null && (data == null || !data.generated())) {
                throw error("evals/" + i, evals.get(i).name() + " needs its dataset: write {" + evals.get(i).name()
                        + ": {data: ROOT}} or generate one with data: {synth: ...}");
            }
        }
        List<Long> evalAtSteps = longs(root, "eval_at_steps", List.of());
        for (int i = 0; i < evalAtSteps.size(); i++) {
            if (evalAtSteps.get(i) < 0) {
                throw error("eval_at_steps/" + i, "steps are >= 0, got " + evalAtSteps.get(i));
            }
        }
        if (!evalAtSteps.isEmpty() && evals.isEmpty()) {
            throw error("eval_at_steps", "there are no evals to run at those steps (add evals: [probe])");
        }
        SweepFile.Report report = report(root.get("report"), grid, evals, name);
        int retries = (int) integer(root, "retries", 1);
        if (retries < 0) {
            throw error("retries", "must be >= 0");
        }
        return new SweepFile(file, name, description, base, baseSource, seeds, grid, exclude, data, masks, evals,
                evalAtSteps.stream().distinct().sorted().toList(), report, retries);
    }

    /** A base path: relative to the sweep file's folder, else to the current directory. */
    private Path resolveBase(String text) {
        Path p = Path.of(text);
        if (p.isAbsolute()) {
            if (!Files.isRegularFile(p)) {
                throw error("base", "file " + p + " does not exist");
            }
            return p;
        }
        Path dir = file.toAbsolutePath().getParent();
        Path beside = dir.resolve(p).normalize();
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        Path cwd = Path.of("").toAbsolutePath().resolve(p).normalize();
        if (Files.isRegularFile(cwd)) {
            return cwd;
        }
        throw error("base", "file " + text + " does not exist (looked in " + dir + " and " + cwd.getParent() + ")");
    }

    private LinkedHashMap<String, List<JsonNode>> grid(JsonNode g) {
        LinkedHashMap<String, List<JsonNode>> out = new LinkedHashMap<>();
        if (g == null || g.isNull()) {
            return out;
        }
        if (!g.isObject()) {
            throw error("grid", "expected a mapping of axis (a dotted config path) to a list of values");
        }
        Set<String> fields = TrainConfigYaml.fields();
        Set<String> sections = TrainConfigYaml.sections();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String axis = e.getKey();
            String at = "grid/" + axis;
            if (axis.equals("seed")) {
                throw error(at, "seeds are their own key: write seeds: [0, 1, 2]");
            }
            if (axis.equals("data.uri") || axis.startsWith("output")) {
                throw error(at, "the sweep sets " + axis + " itself (data: / masks: name the data; outputs live"
                        + " under the working directory)");
            }
            if (!fields.contains(axis) && !sections.contains(axis)) {
                throw error(at, "not a field of a train config (fields: " + String.join(", ", fields) + ")");
            }
            JsonNode values = e.getValue();
            if (!values.isArray()) {
                throw error(at, "expected a list of values, e.g. [" + values + "]");
            }
            if (values.isEmpty()) {
                throw error(at, "an axis needs at least one value (the grid would be empty)");
            }
            List<JsonNode> list = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                if (list.contains(v)) {
                    throw error(at + "/" + i, "value " + v + " is listed twice");
                }
                list.add(v);
            }
            for (String other : out.keySet()) {
                if (other.startsWith(axis + ".") || axis.startsWith(other + ".")) {
                    throw error(at, "overlaps axis " + other + " (one would override the other)");
                }
            }
            out.put(axis, list);
        }
        return out;
    }

    private List<Map<String, JsonNode>> exclude(JsonNode x, LinkedHashMap<String, List<JsonNode>> grid) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        if (x == null || x.isNull()) {
            return out;
        }
        if (!x.isArray()) {
            throw error("exclude", "expected a list of {axis: value, ...} rules");
        }
        for (int i = 0; i < x.size(); i++) {
            JsonNode rule = x.get(i);
            String at = "exclude/" + i;
            if (!rule.isObject() || rule.isEmpty()) {
                throw error(at, "expected a non-empty mapping {axis: value, ...}");
            }
            Map<String, JsonNode> r = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<JsonNode> values = grid.get(e.getKey());
                if (values == null) {
                    throw error(at + "/" + e.getKey(), "not an axis of the grid (axes: " + grid.keySet() + ")");
                }
                if (!values.contains(e.getValue())) {
                    throw error(at + "/" + e.getKey(), e.getValue() + " is not one of the axis's values " + values
                            + ": the rule would exclude nothing");
                }
                r.put(e.getKey(), e.getValue());
            }
            out.add(r);
        }
        return out;
    }

    private SweepFile.Data data(JsonNode d) {
        if (d == null || d.isNull()) {
            return null;
        }
        if (d.isTextual()) {
            return new SweepFile.Data(null, d.asText());
        }
        if (!d.isObject()) {
            throw error("data", "expected {synth: {images: N, val_images: N, size: PX}} or a URI");
        }
        only(d, "data", Set.of("synth", "uri"));
        if (d.has("uri") == d.has("synth")) {
            throw error("data", "give exactly one of synth and uri");
        }
        if (d.has("uri")) {
            return new SweepFile.Data(null, text(d, "uri", "data/uri", true));
        }
        JsonNode s = d.get("synth");
        if (!s.isObject()) {
            throw error("data/synth", "expected {images: N, val_images: N, size: PX, seed: K}");
        }
        only(s, "data/synth", Set.of("images", "val_images", "size", "seed"));
        int images = (int) integer(s, "images", "data/synth/images", 1000);
        int val = (int) integer(s, "val_images", "data/synth/val_images", 200);
        int size = (int) integer(s, "size", "data/synth/size", 96);
        long seed = integer(s, "seed", "data/synth/seed", 0);
        if (images < 1 || val < 0 || size < 16) {
            throw error("data/synth", "need images >= 1, val_images >= 0 and size >= 16");
        }
        return new SweepFile.Data(new SweepFile.Synth(images, val, size, seed), null);
    }

    private SweepFile.Masks masks(JsonNode m, SweepFile.Data data) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isObject()) {
            throw error("masks", "expected {sets: [fh:1000, ...], runner: flink|direct, parallelism: N}");
        }
        only(m, "masks", Set.of("sets", "runner", "parallelism"));
        if (data == null) {
            throw error("masks", "a mask step needs images: add data: {synth: ...} or data: URI");
        }
        JsonNode sets = m.get("sets");
        if (sets == null || !sets.isArray() || sets.isEmpty()) {
            throw error("masks/sets", "give the mask sets, e.g. [fh:1000, grid:5]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            String s = sets.get(i).asText();
            try {
                out.add(MaskSetSpec.parse(s).spec());
            } catch (IllegalArgumentException e) {
                throw error("masks/sets/" + i, e.getMessage());
            }
        }
        String runner = text(m, "runner", "masks/runner", false);
        runner = runner == null ? "flink" : runner;
        if (!runner.equals("flink") && !runner.equals("direct")) {
            throw error("masks/runner", "flink (an embedded Flink mini-cluster) or direct, got " + runner);
        }
        int parallelism = (int) integer(m, "parallelism", "masks/parallelism",
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (parallelism < 1) {
            throw error("masks/parallelism", "must be >= 1");
        }
        return new SweepFile.Masks(out, runner, parallelism);
    }

    private List<SweepFile.Eval> evals(JsonNode e) {
        List<SweepFile.Eval> out = new ArrayList<>();
        if (e == null || e.isNull()) {
            return out;
        }
        if (!e.isArray()) {
            throw error("evals", "expected a list: [probe] or [{probe: {input: 192}}]");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < e.size(); i++) {
            JsonNode item = e.get(i);
            String at = "evals/" + i;
            String name;
            JsonNode settings = null;
            if (item.isTextual()) {
                name = item.asText();
            } else if (item.isObject() && item.size() == 1) {
                name = item.fieldNames().next();
                settings = item.get(name);
            } else {
                throw error(at, "expected an eval name or {name: {settings}}");
            }
            String dataRoot = null;
            if (settings != null && settings.isObject() && settings.has("data")) {
                ObjectNode copy = (ObjectNode) settings.deepCopy();
                dataRoot = text(copy, "data", at + "/" + name + "/data", true);
                copy.remove("data");
                settings = copy;
            }
            EvalJob job;
            try {
                job = EvalJobs.get(name);
                job.resolve(settings);
            } catch (IllegalArgumentException x) {
                throw error(at, x.getMessage());
            }
            if (!seen.add(job.name())) {
                throw error(at, "eval " + name + " is listed twice");
            }
            out.add(new SweepFile.Eval(job.name(), settings, dataRoot));
        }
        return out;
    }

    private SweepFile.Report report(JsonNode r, LinkedHashMap<String, List<JsonNode>> grid,
            List<SweepFile.Eval> evals, String name) {
        List<String> defaultColumns = new ArrayList<>();
        for (SweepFile.Eval e : evals) {
            for (EvalJob.Metric m : EvalJobs.get(e.name()).metrics()) {
                defaultColumns.add(e.name() + "." + m.key());
            }
        }
        if (r == null || r.isNull()) {
            return new SweepFile.Report(new ArrayList<>(grid.keySet()), defaultColumns, "mean_std", name);
        }
        if (!r.isObject()) {
            throw error("report", "expected {rows: [axes], columns: [EVAL.KEY, ...], aggregate: mean_std}");
        }
        only(r, "report", Set.of("rows", "columns", "aggregate", "title"));
        List<String> rows = strings(r, "rows", "report/rows", new ArrayList<>(grid.keySet()));
        for (int i = 0; i < rows.size(); i++) {
            if (!grid.containsKey(rows.get(i))) {
                throw error("report/rows/" + i, rows.get(i) + " is not an axis of the grid (axes: " + grid.keySet()
                        + ")");
            }
        }
        for (Map.Entry<String, List<JsonNode>> a : grid.entrySet()) {
            if (a.getValue().size() > 1 && !rows.contains(a.getKey())) {
                throw error("report/rows", "axis " + a.getKey() + " has several values but is not a row: its cells"
                        + " would be averaged together; add it to rows");
            }
        }
        List<String> columns = strings(r, "columns", "report/columns", defaultColumns);
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            int dot = c.indexOf('.');
            String eval = dot < 0 ? c : c.substring(0, dot);
            if (evals.stream().noneMatch(e -> e.name().equals(eval))) {
                throw error("report/columns/" + i, c + ": no eval " + eval + " in evals (columns are EVAL.KEY)");
            }
            try {
                EvalJobs.get(eval).metric(dot < 0 ? "" : c.substring(dot + 1));
            } catch (IllegalArgumentException x) {
                throw error("report/columns/" + i, c + ": " + x.getMessage());
            }
        }
        String aggregate = text(r, "aggregate", "report/aggregate", false);
        aggregate = aggregate == null ? "mean_std" : aggregate;
        if (!aggregate.equals("mean_std")) {
            throw error("report/aggregate", "only mean_std is supported (mean ± standard deviation over seeds)");
        }
        String title = text(r, "title", "report/title", false);
        return new SweepFile.Report(rows, columns, aggregate, title == null ? name : title);
    }

    // ---- typed access, each error naming the key

    private void only(JsonNode node, String at, Set<String> keys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw error(at + "/" + k, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(keys))
                        + ")");
            }
        }
    }

    private String text(JsonNode node, String key, boolean required) {
        return text(node, key, key, required);
    }

    private String text(JsonNode node, String key, String at, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(at, "is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(at, "expected a non-empty string, got " + v);
        }
        return v.asText();
    }

    private long integer(JsonNode node, String key, long def) {
        return integer(node, key, key, def);
    }

    private long integer(JsonNode node, String key, String at, long def) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber()) {
            throw error(at, "expected an integer, got " + v);
        }
        return v.longValue();
    }

    private List<Long> longs(JsonNode node, String key, List<Long> def) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isArray()) {
            throw error(key, "expected a list of integers, e.g. [0, 1, 2]");
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isIntegralNumber()) {
                throw error(key + "/" + i, "expected an integer, got " + v.get(i));
            }
            out.add(v.get(i).longValue());
        }
        return out;
    }

    private List<String> strings(JsonNode node, String key, String at, List<String> def) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw error(at, "expected a non-empty list");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw error(at + "/" + i, "expected a string, got " + v.get(i));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}
