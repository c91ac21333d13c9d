package org.detcon.cli.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
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

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Stop after N steps of this invocation (checkpointed; run again to continue).")
    Long maxSteps;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (config == null) {
            throw new UsageException("give --config FILE.yaml (see configs/ for the recipes)");
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new UsageException("--max-steps must be >= 1, got " + maxSteps);
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        TrainingRun.Result r;
        try {
            TrainConfig c = TrainConfigYaml.load(config);
            TrainingRun run = new TrainingRun(c, err);
            r = maxSteps == null ? run.run() : run.run(maxSteps);
        } catch (ConfigException e) {
            throw new UsageException(config + ": " + e.getMessage());
        }
        out.println(String.format(Locale.ROOT,
                "trained steps %d..%d in %.1f s: loss %.4f -> %.4f; %d bad samples, %d bad shards skipped;"
                        + " peak RSS %d MiB; output %s",
                r.startStep(), r.startStep() + r.steps(), r.seconds(), r.firstLoss(), r.lastLoss(),
                r.data() == null ? 0 : r.data().badSamples(), r.data() == null ? 0 : r.data().badShards(),
                r.peakRssBytes() >> 20, r.output()));
        out.flush();
        return 0;
    }
}
