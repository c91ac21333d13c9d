package org.detcon.cli.nightly;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.cli.DetconVersion;
import org.detcon.cli.OutputsOption;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.nightly.Baseline;
import org.detcon.orchestration.nightly.Drift;
import org.detcon.orchestration.nightly.Nightly;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import org.detcon.orchestration.sweep.InProcessExecutor;
import org.detcon.orchestration.sweep.StepExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code detcon nightly run|check|bless}: the reproducibility run of a pinned sweep against a blessed baseline. */
@Command(name = "nightly",
        mixinStandardHelpOptions = true,
        description = {"Run a pinned sweep in a fresh working directory and compare it with a blessed baseline:"
                + " exactly on the baseline's platform, within per-metric bands elsewhere. Writes drift.md and"
                + " drift.json. Exit status 0 PASS, 3 DRIFT, 1 ERROR."},
        subcommands = {NightlyCommand.Run.class, NightlyCommand.Check.class, NightlyCommand.Bless.class})
public final class NightlyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the sweep into OUT/work and compare it with the baseline (never updates it).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--sweep", required = true, paramLabel = "FILE", description = "The pinned sweep file.")
        Path sweep;

        @Option(names = "--baseline", required = true, paramLabel = "FILE", description = "The blessed baseline.")
        Path baseline;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new directory for this run.")
        Path out;

        @Option(names = "--max-parallel", defaultValue = "2", paramLabel = "N",
                description = "Steps at once, each in its own JVM (default: ${DEFAULT-VALUE}).")
        int maxParallel;

        @Option(names = "--in-process", description = "Run the steps in this JVM, one at a time.")
        boolean inProcess;

        @CommandLine.Mixin
        OutputsOption outputs = new OutputsOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (maxParallel < 1) {
                throw new UsageException("--max-parallel must be >= 1");
            }
            String outputsUri = outputs.uri();
            PrintWriter log = spec.commandLine().getOut();
            try (StepExecutor ex = inProcess ? new InProcessExecutor() : new ChildProcessExecutor(maxParallel)) {
                Drift d = Nightly.run(sweep, baseline, out, outputsUri, ex, DetconVersion.version(), log);
                return d.status().exitCode();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare an existing nightly run directory with a baseline, running nothing.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "A nightly run's --out directory.")
        Path dir;

        @Option(names = "--baseline", required = true, paramLabel = "FILE")
        Path baseline;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return Nightly.check(dir, baseline, spec.commandLine().getOut()).status().exitCode();
        }
    }

    @Command(name = "bless", mixinStandardHelpOptions = true,
            description = "Make a nightly run the baseline, keeping the old baseline's sha256 and bands.")
    static final class Bless implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "A nightly run's --out directory.")
        Path dir;

        @Option(names = "--baseline", required = true, paramLabel = "FILE")
        Path baseline;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why this run is the baseline.")
        String reason;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Baseline b;
            try {
                b = Nightly.bless(dir, baseline, reason);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            spec.commandLine().getOut().println("blessed " + dir + " as " + baseline + (b.previousSha256() == null
                    ? "" : " (replacing " + b.previousSha256().substring(0, 12) + ")") + ": " + reason);
            return 0;
        }
    }
}
