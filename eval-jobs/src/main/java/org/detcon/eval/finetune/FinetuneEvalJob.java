package org.detcon.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.RecipeSettings;
import org.detcon.trainer.run.ConfigException;

/**
 * A fine-tuning task as a registered evaluation ({@code voc-seg}, {@code cityscapes-seg}, {@code nyu-depth}), so
 * sweeps run it by name: {@code evals: [{voc-seg: {config: configs/eval/voc-fcn-cpu.yaml, optimizer.lr: 0.01}}]}.
 * Settings: {@code config} (a fine-tuning config file, relative to the current directory; default: the task's
 * protocol) and any field of that config by dotted path ({@code optimizer.lr}, {@code backbone.mode},
 * {@code steps}, ...) or by section ({@link RecipeSettings}). {@link #resolve} returns the whole resolved config, so a sweep's evaluation step
 * is keyed by every setting, not by a file name. {@code optimizer.lr} may be a list: the step fine-tunes once per
 * value and reports the best (the protocols' learning-rate sweep; every value's metrics are in its
 * {@code result.json}). In a sweep file the key {@code data} is the dataset's root (the sweep reader takes it);
 * fields of the config's {@code data} section are set by dotted path ({@code data.crop: [96, 96]}).
 */
public final class FinetuneEvalJob implements EvalJob {

    private static final Set<String> SECTIONS = Set.of("backbone", "head", "data", "optimizer", "output");
    private final Task task;

    public FinetuneEvalJob(Task task) {
        this.task = task;
    }

    @Override
    public String name() {
        return task.key();
    }

    @Override
    public String description() {
        return switch (task) {
            case VOC_SEG -> "fine-tuned FCN semantic segmentation on PASCAL VOC 2012 (mIoU)";
            case CITYSCAPES_SEG -> "fine-tuned FCN semantic segmentation on Cityscapes (mIoU over 19 classes)";
            case NYU_DEPTH -> "fine-tuned up-projection depth decoder on NYU Depth v2 (delta<1.25)";
        };
    }

    @Override
    public ObjectNode resolve(JsonNode settings) {
        ObjectNode tree = RecipeSettings.tree(name(), settings, SECTIONS, FinetuneConfigYaml.fields());
        try {
            return FinetuneConfigYaml.parse(tree, name(), "(set when the eval runs)").toTree();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(name() + "." + e.getMessage(), e);
        }
    }

    @Override
    public List<Metric> metrics() {
        if (task.segmentation()) {
            return List.of(new Metric("miou", "mIoU (%)", true, true),
                    new Metric("pixel_accuracy", "pixel accuracy (%)", true, true),
                    new Metric("mean_class_accuracy", "mean class accuracy (%)", true, true));
        }
        return List.of(new Metric("delta1", "δ<1.25 (%)", true, true),
                new Metric("delta2", "δ<1.25² (%)", true, true),
                new Metric("delta3", "δ<1.25³ (%)", true, true),
                new Metric("abs_rel", "abs. rel. error", false, false),
                new Metric("rmse", "RMSE (m)", false, false));
    }

    @Override
    public Map<String, Double> run(String backboneUri, Path dataRoot, ObjectNode settings, Path out)
            throws IOException {
        Files.createDirectories(out);
        FinetuneConfig c = FinetuneConfigYaml.parse(settings, name(), out.toString());
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        FinetuneJob.Outcome o = FinetuneJob.run(c, backboneUri, dataRoot,
                new FinetuneJob.Options(false, Long.MAX_VALUE, err));
        return o.metrics();
    }
}
