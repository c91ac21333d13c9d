package org.detcon.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.detcon.cli.ConfigErrors;
import org.detcon.cli.DeviceOption;
import org.detcon.cli.UsageException;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.core.config.YamlDocument;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.detection.config.CocoMaskRcnnConfig;
import org.detcon.eval.detection.config.CocoMaskRcnnConfigYaml;
import org.detcon.eval.detection.infer.CocoDetectionEvaluation;
import org.detcon.eval.detection.infer.DetectionResult;
import org.detcon.eval.detection.infer.EvalOnly;
import org.detcon.eval.detection.job.CocoMaskRcnnJob;
import org.detcon.eval.finetune.FinetuneConfig;
import org.detcon.eval.finetune.FinetuneConfigYaml;
import org.detcon.eval.finetune.FinetuneJob;
import org.detcon.eval.finetune.Task;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code detcon eval finetune}: fine-tunes an exported backbone on PASCAL VOC or Cityscapes segmentation (FCN), NYU
 * depth (up-projection decoder) ({@link FinetuneJob}) or COCO detection and instance segmentation (Mask R-CNN + FPN,
 * {@link CocoMaskRcnnJob}) and evaluates it; {@code --eval-only --weights} evaluates a fine-tuned detector.
 */
@Command(name = "finetune",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tune an exported backbone and evaluate it: voc-seg / cityscapes-seg (FCN on the dilated backbone,"
                    + " mIoU), nyu-depth (Laina up-projection decoder, delta<1.25) or coco-maskrcnn (Mask R-CNN + FPN,"
                    + " box and mask AP).",
            "Under --out: run.json, metrics.jsonl, step-N/ checkpoints, latest, result.json (and predictions/ and"
                    + " gt/ with --save-predictions). The same command again resumes from latest.",
            "coco-maskrcnn also writes detector/ (what --eval-only --weights takes), bbox_results.json and"
                    + " segm_results.json (COCO results format).",
            "Recipes: configs/eval/. --data is the dataset in its real layout (VOC2012 + SBD, Cityscapes"
                    + " leftImg8bit/gtFine, NYU PNG export or .mat, COCO train2017/ val2017/ annotations/) or a detcon"
                    + " data synth output."})
public final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, paramLabel = "TASK",
            description = "voc-seg, cityscapes-seg, nyu-depth or coco-maskrcnn.")
    String task;

    @Option(names = "--backbone", paramLabel = "URI",
            description = "Exported backbone: its directory, or a file: or s3:// URI (a run's backbone/).")
    String backbone;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root.")
    Path data;

    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "Fine-tuning config (configs/eval/); default: the task's paper protocol.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "Output folder or s3:// prefix.")
    String out;

    @Option(names = "--frozen", description = "Keep the whole backbone fixed (backbone.mode=frozen).")
    boolean frozen;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a config field, e.g. --set optimizer.lr=0.003 (repeatable; a list of learning"
                    + " rates runs each and reports the best).")
    List<String> set = new ArrayList<>();

    @Option(names = "--save-predictions",
            description = "Write predictions/ and gt/ (what detcon eval seg-metrics / depth-metrics read).")
    boolean savePredictions;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Stop after N training steps of this invocation (checkpointed; run again to continue).")
    Long maxSteps;

    @Option(names = "--json", description = "Print result.json.")
    boolean json;

    @Option(names = "--eval-only", description = "coco-maskrcnn: evaluate the fine-tuned detector at --weights on"
            + " the val split (no training; --config, --set and --backbone are not used).")
    boolean evalOnly;

    @Option(names = "--weights", paramLabel = "URI",
            description = "With --eval-only: a fine-tuned detector (a coco-maskrcnn run's detector/).")
    String weights;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean detection = task.equals(CocoMaskRcnnConfigYaml.TASK);
        String key = detection ? CocoMaskRcnnConfigYaml.TASK : null;
        if (!detection) {
            try {
                key = Task.of(task).key();
            } catch (ConfigException e) {
                throw new UsageException("--task: unknown task '" + task + "' (one of voc-seg, cityscapes-seg,"
                        + " nyu-depth, " + CocoMaskRcnnConfigYaml.TASK + ")");
            }
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new UsageException("--max-steps must be >= 1, got " + maxSteps);
        }
        if (!Files.isDirectory(data)) {
            throw new UsageException("--data " + data + " is not a folder");
        }
        if ((evalOnly || weights != null) && !detection) {
            throw new UsageException("--eval-only and --weights are for --task " + CocoMaskRcnnConfigYaml.TASK);
        }
        if (evalOnly != (weights != null)) {
            throw new UsageException("--eval-only and --weights URI go together");
        }
        if (evalOnly) {
            return evalOnly();
        }
        if (backbone == null) {
            throw new UsageException("--backbone URI is required (an exported backbone: a run's backbone/)");
        }
        YamlDocument doc = null;
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new UsageException("config file " + config + " does not exist");
            }
            doc = YamlDocument.read(config);
            if (!doc.root().isObject()) {
                throw new ConfigFileException(config.toString(), 0, "", "expected a mapping of config fields");
            }
            tree = (ObjectNode) doc.root().deepCopy();
            if (tree.has("task") && !tree.get("task").asText().equals(key)) {
                throw new UsageException("--task " + key + " but " + config + " is a "
                        + tree.get("task").asText() + " config");
            }
        }
        tree.put("task", key);
        try {
            if (frozen) {
                ConfigOverrides.apply(tree, "backbone.mode", tree.textNode("frozen"));
            }
            ConfigOverrides.applyAll(tree, ConfigOverrides.parseAll(set));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        device.applyTo(tree);
        String what = config == null ? key : config.toString();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        FinetuneJob.Options options = new FinetuneJob.Options(savePredictions,
                maxSteps == null ? Long.MAX_VALUE : maxSteps, err);
        FinetuneJob.Outcome r;
        try {
            if (detection) {
                CocoMaskRcnnConfig c = CocoMaskRcnnConfigYaml.parse(tree, what, out);
                configureThreads(c.torchThreads());
                r = CocoMaskRcnnJob.run(c, backbone, data, options);
            } else {
                FinetuneConfig c = FinetuneConfigYaml.parse(tree, what, out);
                configureThreads(c.torchThreads());
                r = FinetuneJob.run(c, backbone, data, options);
            }
        } catch (ConfigException e) {
            throw ConfigErrors.of(doc, config, e);
        }
        if (!r.complete()) {
            o.printf(Locale.ROOT, "stopped at step %d of %d; run the same command again to continue%n",
                    r.stepsDone(), r.totalSteps());
            return 0;
        }
        if (json) {
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.result()));
        } else {
            String lr = detection ? "" : ", lr " + r.result().get("lr").asDouble();
            o.println(key + ": " + summary(r.metrics()) + " (" + r.totalSteps() + " steps" + lr + "); "
                    + r.result().get("skipped_samples").get("count").asInt() + " training samples skipped; result "
                    + out.replaceAll("/+$", "") + "/" + FinetuneJob.RESULT);
        }
        o.flush();
        return 0;
    }

    private static void configureThreads(int torchThreads) {
        if (torchThreads == 0) {
            Torch.configure(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        }
    }

    /** {@code --eval-only --weights URI}: a fine-tuned detector on the val split. */
    private int evalOnly() throws Exception {
        if (config != null || !set.isEmpty() || frozen || maxSteps != null) {
            throw new UsageException("--eval-only takes --weights, --data and --out (the detector's own settings"
                    + " are used); drop --config, --set, --frozen and --max-steps");
        }
        if (device.spec(DeviceSpec.AUTO).kind() == DeviceSpec.Kind.GPU) {
            throw new UsageException("--device: " + CocoMaskRcnnConfigYaml.TASK + " runs on the CPU only so far;"
                    + " use --device cpu or auto");
        }
        configureThreads(0);
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        CocoDetectionEvaluation.Output e;
        try {
            e = EvalOnly.run(weights, data, out, 2, cores);
        } catch (IllegalArgumentException ex) {
            throw new UsageException(ex.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            try (ObjectStore store = ObjectStores.open(out)) {
                o.println(new String(store.readAllBytes(FinetuneJob.RESULT), StandardCharsets.UTF_8));
            }
        } else {
            o.println(CocoMaskRcnnConfigYaml.TASK + " (eval only): " + summary(DetectionResult.metrics(e)) + " on "
                    + e.images() + " images; result " + out.replaceAll("/+$", "") + "/" + FinetuneJob.RESULT);
        }
        o.flush();
        return 0;
    }

    private static String summary(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            boolean fraction = !e.getKey().equals("abs_rel") && !e.getKey().equals("sq_rel")
                    && !e.getKey().startsWith("rmse") && !e.getKey().equals("log10");
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(fraction
                    ? String.format(Locale.ROOT, "%.2f%%", 100 * e.getValue())
                    : String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return sb.toString();
    }
}
