package org.detcon.cli.eval;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code detcon eval}: downstream metrics with the field's reference rules. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Evaluation: metrics (COCO AP, semantic segmentation mIoU, depth), frozen-feature probes and fine-tuning.",
        subcommands = {CocoMetricsCommand.class, SegMetricsCommand.class, DepthMetricsCommand.class,
                ProbeCommand.class, FinetuneCommand.class})
public final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
