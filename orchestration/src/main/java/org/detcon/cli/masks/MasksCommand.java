package org.detcon.cli.masks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code detcon masks}: unsupervised masks for single images or folders. */
@Command(name = "masks",
        mixinStandardHelpOptions = true,
        description = "Compute masks (label maps) for images.",
        subcommands = {FhCommand.class, GridCommand.class, RunCommand.class, QualityCommand.class})
public final class MasksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
