package org.detcon.cli;

import org.detcon.cli.data.DataCommand;
import org.detcon.cli.doctor.DoctorCommand;
import org.detcon.cli.eval.EvalCommand;
import org.detcon.cli.infra.InfraCommand;
import org.detcon.cli.masks.MasksCommand;
import org.detcon.cli.nightly.NightlyCommand;
import org.detcon.cli.quickstart.QuickstartCommand;
import org.detcon.cli.runs.RunsCommand;
import org.detcon.cli.service.ServiceCommand;
import org.detcon.cli.sweep.SweepCommand;
import org.detcon.cli.train.TrainCommand;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code detcon} command line. */
@Command(name = "detcon",
        mixinStandardHelpOptions = true,
        versionProvider = DetconVersion.class,
        description = "Contrastive detection (DetCon) pretraining at scale: masks, pretraining, evaluation.",
        subcommands = {QuickstartCommand.class, SweepCommand.class, NightlyCommand.class, MasksCommand.class,
                TrainCommand.class, EvalCommand.class, DataCommand.class, RunsCommand.class, InfraCommand.class,
                ServiceCommand.class, DoctorCommand.class, CommandLine.HelpCommand.class})
public final class DetconCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the project's error handling; used by {@link #main} and by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DetconCli());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors());
        return cl;
    }

    public static void main(String[] args) {
        if ("1".equals(System.getenv(ChildProcessExecutor.PARENT_WATCH))) {
            watchParent();
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * A sweep step's JVM exits at once when the sweep's process dies (even by kill -9): the pipe of its standard
     * input, held by the parent, reaches end of file.
     */
    private static void watchParent() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; wait for end of file
                }
            } catch (java.io.IOException e) {
                // the pipe broke: the parent is gone too
            }
            Runtime.getRuntime().halt(137);
        }, "detcon-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
