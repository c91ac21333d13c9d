package org.detcon.cli.sweep;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code detcon sweep}: plan, run, watch and report sweeps. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "A sweep file names a base train config, axes (dotted config paths with values), seeds, an optional data"
                    + " step and mask step, evaluations and a report layout. Each cell (base + axis values + seed)"
                    + " and each step is content-addressed in the run store: running a sweep again runs only what is"
                    + " missing or failed."},
        subcommands = {SweepPlanCommand.class, SweepRunCommand.class, SweepStatusCommand.class,
                SweepReportCommand.class, SweepExecCommand.class})
public final class SweepCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
