package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.core.hash.ContentHash;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.orchestration.runs.OutputLocation;
import org.detcon.orchestration.runs.StepRunner;
import org.detcon.orchestration.synth.SynthDataset;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.train.Method;

/**
 * Resolves a sweep file into a {@link SweepPlan} without running anything. Every step is content-addressed by what
 * it reads, so nothing here depends on where the working directory is:
 * <ul>
 *   <li>data: the generator's parameters and format version;</li>
 *   <li>masks: the data's identity (the data step's key, or a listing of the image folder) and the mask sets;</li>
 *   <li>a cell: the resolved train config with the data's location replaced by the data's identity (the mask
 *   step's key, or a given shard dataset's content hash) — {@link TrainConfig#hash}; its pretraining step adds the
 *   steps whose backbones are exported;</li>
 *   <li>an evaluation: the eval, its settings, its data's identity and the sha256 of the weights it evaluates.</li>
 * </ul>
 * Overrides ({@code --set key.path=value}) apply to the base before the axes. A cell the trainer would reject, two
 * cells that resolve to the same config, or a mask set the mask step does not make is an error naming the cell.
 */
public final class Planner {

    private Planner() {
    }

    public static SweepPlan plan(SweepFile f, Path workdir, List<ConfigOverrides.Override> overrides)
            throws IOException {
        return plan(f, workdir, null, overrides);
    }

    /**
     * As {@link #plan(SweepFile, Path, List)} with the step outputs under {@code outputs} (an {@code s3://} prefix;
     * null: the working directory) at the same relative folders; the keys do not depend on it.
     */
    public static SweepPlan plan(SweepFile f, Path workdir, String outputs, List<ConfigOverrides.Override> overrides)
            throws IOException {
        Path work = workdir.toAbsolutePath().normalize();
        String root = outputs == null ? work.toString() : outputs.replaceAll("/+$", "");
        ObjectNode base = f.base().deepCopy();
        for (ConfigOverrides.Override o : overrides) {
            if (f.grid().containsKey(o.path()) || o.path().equals("seed")) {
                throw new ConfigFileException(f.file().toString(), 0, "--set " + o.path(), "is an axis of the sweep"
                        + " (or its seeds); change the sweep file instead");
            }
            try {
                ConfigOverrides.apply(base, o.path(), o.value());
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(f.file().toString(), 0, "--set " + o.path(), e.getMessage());
            }
        }

        // data and masks
        PlannedStep data = null;
        String imagesId = null;
        String imagesUri = null;
        if (f.data() != null && f.data().generated()) {
            SweepFile.Synth s = f.data().synth();
            Map<String, String> in = new LinkedHashMap<>();
            in.put("format", SynthDataset.FORMAT);
            in.put("params", String.format(java.util.Locale.ROOT, "images=%d val_images=%d size=%d seed=%d",
                    s.images(), s.valImages(), s.size(), s.seed()));
            ObjectNode spec = JsonNodeFactory.instance.objectNode();
            spec.put("images", s.images()).put("val_images", s.valImages()).put("size", s.size()).put("seed",
                    s.seed());
            data = new PlannedStep(StepKind.DATA, "data", StepRunner.key("data", in), in, spec, -1);
            spec.put("out", OutputLocation.resolve(root, data.dir()));
            imagesId = data.key();
            imagesUri = OutputLocation.resolve(root, data.dir() + "/coco/train");
        } else if (f.data() != null && f.masks() != null) {
            imagesUri = f.data().uri();
            imagesId = DataIdentity.listing(imagesUri);
        }
        PlannedStep masks = null;
        if (f.masks() != null) {
            Map<String, String> in = new LinkedHashMap<>();
            in.put("images", imagesId);
            in.put("sets", String.join(",", f.masks().sets()));
            ObjectNode spec = JsonNodeFactory.instance.objectNode();
            spec.put("input", imagesUri);
            ArrayNode sets = spec.putArray("sets");
            f.masks().sets().forEach(sets::add);
            spec.put("runner", f.masks().runner()).put("parallelism", f.masks().parallelism());
            masks = new PlannedStep(StepKind.MASKS, "masks", StepRunner.key("masks", in), in, spec, -1);
            spec.put("out", OutputLocation.resolve(root, masks.dir()));
        }
        String trainData;
        String trainDataId;
        if (masks != null) {
            trainData = OutputLocation.resolve(root, masks.dir());
            trainDataId = masks.key();
        } else if (f.data() != null && !f.data().generated()) {
            trainData = f.data().uri();
            trainDataId = DataIdentity.shards(trainData);
        } else if (f.data() != null) {
            throw new ConfigFileException(f.file().toString(), 0, "data", "generated data is images: add a masks:"
                    + " step to make training shards from it");
        } else {
            JsonNode uri = ConfigOverrides.get(base, "data.uri");
            if (uri == null || !uri.isTextual()) {
                throw new ConfigFileException(f.file().toString(), 0, "data", "the base config has no data.uri and"
                        + " the sweep no data: step");
            }
            trainData = uri.asText();
            trainDataId = DataIdentity.shards(trainData);
        }
        List<String> maskSets = f.masks() == null ? List.of()
                : f.masks().sets().stream().map(x -> MaskSetSpec.parse(x).name()).toList();

        // cells
        List<Cell> cells = new ArrayList<>();
        Map<String, Cell> byHash = new HashMap<>();
        for (LinkedHashMap<String, JsonNode> axes : combinations(f)) {
            for (long seed : f.seeds()) {
                int index = cells.size();
                ObjectNode tree = base.deepCopy();
                axes.forEach((path, value) -> ConfigOverrides.apply(tree, path, value));
                tree.put("seed", seed);
                ConfigOverrides.apply(tree, "data.uri", tree.textNode(trainData));
                ConfigOverrides.apply(tree, "output.uri", tree.textNode("(set when the cell runs)"));
                String label = Cell.label(axes, seed);
                TrainConfig tc;
                try {
                    tc = TrainConfigYaml.parse(tree, label);
                } catch (ConfigException e) {
                    throw new ConfigFileException(f.file().toString(), 0, "cell " + label, e.getMessage());
                }
                boolean needsMasks = tc.method() == Method.DETCON_B || tc.method() == Method.DETCON_S;
                if (masks != null && needsMasks && !maskSets.contains(tc.masks().set())) {
                    throw new ConfigFileException(f.file().toString(), 0, "cell " + label, "masks.set "
                            + tc.masks().set() + " is not made by the mask step (it makes " + maskSets + ")");
                }
                for (long s : f.evalAtSteps()) {
                    if (tc.steps() > 0 && s > tc.steps()) {
                        throw new ConfigFileException(f.file().toString(), 0, "eval_at_steps", "step " + s
                                + " is after the end of cell " + label + " (" + tc.steps() + " steps)");
                    }
                }
                String hash = tc.hash(trainDataId);
                Cell c = new Cell(index, axes, seed, tree, tc, hash);
                Cell twin = byHash.putIfAbsent(hash, c);
                if (twin != null) {
                    throw new ConfigFileException(f.file().toString(), 0, "cell " + label, "resolves to the same"
                            + " config as cell " + twin.label() + " (" + c.id() + "): remove the duplicate value"
                            + " or add an exclusion");
                }
                cells.add(c);
            }
        }
        if (cells.isEmpty()) {
            throw new ConfigFileException(f.file().toString(), 0, "exclude", "no cells left: the exclusions remove"
                    + " every combination of the grid");
        }

        // pretraining and evaluations
        List<PlannedStep> pretrain = new ArrayList<>();
        List<SweepPlan.EvalTarget> evals = new ArrayList<>();
        for (Cell c : cells) {
            List<Long> exports = new ArrayList<>();
            for (long s : f.evalAtSteps()) {
                if (!(c.train().steps() > 0 && s == c.train().steps())) {
                    exports.add(s);
                }
            }
            Map<String, String> in = new LinkedHashMap<>();
            in.put("cell", c.hash());
            in.put("exports", exports.toString());
            String key = StepRunner.key("pretrain", in);
            ObjectNode cfg = c.config().deepCopy();
            String out = OutputLocation.resolve(root, PlannedStep.dir(StepKind.PRETRAIN, key));
            ConfigOverrides.apply(cfg, "output.uri", cfg.textNode(out));
            ObjectNode spec = JsonNodeFactory.instance.objectNode();
            spec.put("out", out);
            spec.set("config", cfg);
            spec.put("data_hash", trainDataId);
            ArrayNode ex = spec.putArray("export_steps");
            exports.forEach(ex::add);
            pretrain.add(new PlannedStep(StepKind.PRETRAIN, "pretrain", key, in, spec, c.index()));
            for (SweepFile.Eval e : f.evals()) {
                ObjectNode settings = EvalJobs.get(e.name()).resolve(e.settings());
                String evalData;
                String rootId;
                if (e.dataRoot() != null) {
                    evalData = Path.of(e.dataRoot()).toAbsolutePath().normalize().toString();
                    rootId = DataIdentity.listing(evalData);
                } else {
                    evalData = OutputLocation.resolve(root, data.dir());
                    rootId = data.key();
                }
                for (long s : exports) {
                    evals.add(new SweepPlan.EvalTarget(c.index(), e.name(), settings, s, evalData, rootId, root));
                }
                evals.add(new SweepPlan.EvalTarget(c.index(), e.name(), settings, SweepPlan.FINAL, evalData, rootId,
                        root));
            }
        }
        return new SweepPlan(f, work, root, null, cells, data, masks, pretrain, evals);
    }

    /** The grid's combinations minus the excluded ones, in file order (the last axis varies fastest). */
    static List<LinkedHashMap<String, JsonNode>> combinations(SweepFile f) {
        List<LinkedHashMap<String, JsonNode>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> axis : f.grid().entrySet()) {
            List<LinkedHashMap<String, JsonNode>> next = new ArrayList<>();
            for (LinkedHashMap<String, JsonNode> partial : out) {
                for (JsonNode v : axis.getValue()) {
                    LinkedHashMap<String, JsonNode> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        out.removeIf(combo -> f.exclude().stream().anyMatch(rule -> rule.entrySet().stream()
                .allMatch(r -> r.getValue().equals(combo.get(r.getKey())))));
        return out;
    }

    /** A short, stable digest of a plan's cells, for the run store's record of a sweep run. */
    public static String digest(SweepPlan p) {
        StringBuilder sb = new StringBuilder(p.file().name());
        for (PlannedStep s : p.pretrain()) {
            sb.append('\n').append(s.key());
        }
        return ContentHash.sha256Hex(sb.toString());
    }
}
