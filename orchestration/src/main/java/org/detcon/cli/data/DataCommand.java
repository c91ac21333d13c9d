package org.detcon.cli.data;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code detcon data}: datasets. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Datasets: generate the synthetic scene dataset.",
        subcommands = {SynthCommand.class})
public final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
