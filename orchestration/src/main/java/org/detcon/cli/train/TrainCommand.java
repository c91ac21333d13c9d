package org.detcon.cli.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.RecordedRun;
import org.detcon.orchestration.runs.Step;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code detcon train --config FILE.yaml}: DetCon_B / DetCon_S / SimCLR / BYOL pretraining in process (CPU here),
 * from shards to checkpoints, metrics and an exported backbone. See {@code configs/} for the recipes.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Pretrain a ResNet with DetCon_B, DetCon_S, SimCLR or BYOL from shards, in process.",
            "Under output.uri: run.json, metrics.jsonl, step-N/ checkpoints, latest, backbone/.",
            "The same config again resumes from latest; another config there is refused.",
            "Progress (loss, img/s, data wait, ETA) goes to stderr. Recipes: configs/."},
        subcommands = {ShapesCommand.class})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Training config (see configs/).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a config field, e.g. --set optimizer.base_lr=0.3 (repeatable).")
    List<String> set = new ArrayList<>();

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Stop after N steps of this invocation (checkpointed; run again to continue).")
    Long maxSteps;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Record the run in DIR's run store (detcon runs list --workdir DIR).")
    Path workdir;

    @CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new UsageException("give --config FILE.yaml (see configs/ for the recipes)");
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new UsageException("--max-steps must be >= 1, got " + maxSteps);
        }
        if (!Files.isRegularFile(config)) {
            throw new UsageException("config file " + config + " does not exist");
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        YamlDocument doc = YamlDocument.read(config);
        if (!doc.root().isObject()) {
            throw new ConfigFileException(config.toString(), 0, "", "expected a mapping of config fields");
        }
        ObjectNode tree = (ObjectNode) doc.root().deepCopy();
        try {
            ConfigOverrides.applyAll(tree, ConfigOverrides.parseAll(set));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        device.applyTo(tree);
        TrainConfig c;
        TrainingRun run;
        String hash;
        try {
            c = TrainConfigYaml.parse(tree, config.toString());
            run = TrainingRun.builder(c).progress(err).build();
            hash = run.configHash();
        } catch (ConfigException e) {
            throw error(doc, e);
        }
        TrainingLoop.Result[] r = new TrainingLoop.Result[1];
        Step step = RecordedRun.step("pretrain", "train " + config, Map.of("config", hash), () -> {
            try {
                r[0] = maxSteps == null ? run.run() : run.run(maxSteps);
            } catch (ConfigException e) {
                throw error(doc, e);
            }
            return outcome(run.output(), r[0]);
        });
        RecordedRun.run(workdir, "train", hash, config + " -> " + run.output(), step, out);
        out.println(String.format(Locale.ROOT,
                "trained steps %d..%d in %.1f s: loss %.4f -> %.4f; %d bad samples, %d bad shards skipped;"
                        + " peak RSS %d MiB; output %s",
                r[0].startStep(), r[0].startStep() + r[0].steps(), r[0].seconds(), r[0].firstLoss(), r[0].lastLoss(),
                r[0].data() == null ? 0 : r[0].data().badSamples(), r[0].data() == null ? 0
                        : r[0].data().badShards(), r[0].peakRssBytes() >> 20, r[0].output()));
        out.flush();
        return 0;
    }

    private UsageException error(YamlDocument doc, ConfigException e) {
        return ConfigErrors.of(doc, config, e);
    }

    /** What the run store records of a local output: the metrics log and, when complete, the backbone. */
    private static Step.Outcome outcome(String output, TrainingLoop.Result r) throws java.io.IOException {
        Map<String, Path> outputs = new LinkedHashMap<>();
        try (ObjectStore store = ObjectStores.open(output)) {
            if (store instanceof LocalObjectStore local) {
                Path dir = local.path(TrainingRun.METRICS_FILE).getParent();
                outputs.put("metrics", dir.resolve(TrainingRun.METRICS_FILE));
                if (Files.isDirectory(dir.resolve(TrainingRun.BACKBONE))) {
                    outputs.put("backbone", dir.resolve(TrainingRun.BACKBONE));
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("steps_run", (double) r.steps());
        if (r.steps() > 0) {
            m.put("first_loss", (double) r.firstLoss());
            m.put("last_loss", (double) r.lastLoss());
        }
        m.put("seconds", r.seconds());
        return Step.Outcome.local(outputs, m);
    }
}
