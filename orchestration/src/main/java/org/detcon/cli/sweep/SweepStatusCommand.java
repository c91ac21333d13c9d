package org.detcon.cli.sweep;

import picocli.CommandLine.Command;

/** {@code detcon sweep status FILE}: what has run, with attempts, times and errors (also while a sweep runs). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print each cell's steps with their state, attempts, times and errors (works while the sweep"
                + " runs in another process).")
public final class SweepStatusCommand extends SweepTableCommand {

    @Override
    boolean detail() {
        return true;
    }
}
