package org.detcon.cli;

import org.detcon.cli.data.DataCommand;
import org.detcon.cli.doctor.DoctorCommand;
import org.detcon.cli.eval.EvalCommand;
import org.detcon.cli.infra.InfraCommand;
import org.detcon.cli.masks.FhCommand;
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
        return withErrorHandling(new CommandLine(new DetconCli()));
    }

    /**
     * {@code detcon masks fh} alone, as {@link #main} runs it: the same command, name, help and errors as in the
     * whole tree, without building every other command's model (which loads about 600 more classes, Jackson and
     * the trainer's among them: ~0.3 s of CPU per process, a visible part of a short FH run). Takes the arguments
     * after {@code masks fh}.
     */
    static CommandLine fhCommandLine() {
        return withErrorHandling(new CommandLine(new FhCommand()).setCommandName("detcon masks fh"));
    }

    private static CommandLine withErrorHandling(CommandLine cl) {
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors());
        return cl;
    }

    public static void main(String[] args) {
        if ("1".equals(System.getenv(ChildProcessExecutor.PARENT_WATCH))) {
            watchParent();
        }
        if (args.length >= 2 && args[0].equals("masks") && args[1].equals("fh")) {
            System.exit(fhCommandLine().execute(java.util.Arrays.copyOfRange(args, 2, args.length)));
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
