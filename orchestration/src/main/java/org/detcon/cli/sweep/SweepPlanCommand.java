package org.detcon.cli.sweep;

import picocli.CommandLine.Command;

/** {@code detcon sweep plan FILE}: the cells and which steps are done, pending or failed; runs nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the cells (axis values, seed, config hash) and the state of their steps; run nothing.")
public final class SweepPlanCommand extends SweepTableCommand {

    @Override
    boolean detail() {
        return false;
    }
}
