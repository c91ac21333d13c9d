package org.detcon.eval.detection.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.detcon.eval.detection.config.CocoMaskRcnnConfig;
import org.detcon.eval.detection.config.CocoMaskRcnnConfigYaml;
import org.detcon.eval.finetune.FinetuneJob;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.RecipeSettings;
import org.detcon.trainer.run.ConfigException;

/**
 * Mask R-CNN fine-tuning as the registered evaluation {@code coco-maskrcnn} ({@link CocoMaskRcnnJob}), so sweeps
 * run it by name: {@code evals: [{coco-maskrcnn: {config: configs/eval/coco-maskrcnn-cpu-synth.yaml,
 * iterations: 200}}]}. Settings: {@code config} (a recipe; default: the paper's 1× protocol) and any recipe field by
 * dotted path or section ({@link RecipeSettings}). Metrics: COCO box and mask AP (IoU 0.50:0.95), AP50 and AP75,
 * as fractions.
 */
public final class CocoMaskRcnnEvalJob implements EvalJob {

    private static final Set<String> SECTIONS = Set.of("backbone", "optimizer", "model", "eval", "output");

    @Override
    public String name() {
        return CocoMaskRcnnConfigYaml.TASK;
    }

    @Override
    public String description() {
        return "fine-tuned Mask R-CNN + FPN on COCO-layout data (box and mask AP)";
    }

    @Override
    public ObjectNode resolve(JsonNode settings) {
        ObjectNode tree = RecipeSettings.tree(name(), settings, SECTIONS, CocoMaskRcnnConfigYaml.fields());
        try {
            return CocoMaskRcnnConfigYaml.parse(tree, name(), "(set when the eval runs)").toTree();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(name() + "." + e.getMessage(), e);
        }
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("bbox_ap", "AP^bb (%)", true, true),
                new Metric("segm_ap", "AP^mk (%)", true, true),
                new Metric("bbox_ap50", "AP^bb_50 (%)", true, true),
                new Metric("bbox_ap75", "AP^bb_75 (%)", true, true),
                new Metric("segm_ap50", "AP^mk_50 (%)", true, true),
                new Metric("segm_ap75", "AP^mk_75 (%)", true, true));
    }

    @Override
    public Map<String, Double> run(String backboneUri, Path dataRoot, ObjectNode settings, Path out)
            throws IOException {
        Files.createDirectories(out);
        CocoMaskRcnnConfig c = CocoMaskRcnnConfigYaml.parse(settings, name(), out.toString());
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        return CocoMaskRcnnJob.run(c, backboneUri, dataRoot, new FinetuneJob.Options(false, Long.MAX_VALUE, err))
                .metrics();
    }
}
