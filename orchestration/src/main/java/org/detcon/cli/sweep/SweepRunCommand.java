package org.detcon.cli.sweep;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import org.detcon.orchestration.sweep.InProcessExecutor;
import org.detcon.orchestration.sweep.StepExecutor;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon sweep run FILE}: runs what is missing, then writes the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the sweep's missing steps (masks -> pretrain -> evals per cell), each in its own JVM,"
                + " up to --max-parallel at once; then write the report. Finished steps are reused; an interrupted"
                + " pretraining continues from its newest checkpoint.",
            "Exit status 1 when a cell ended failed (one line per failed cell)."})
public final class SweepRunCommand implements Callable<Integer> {

    @Mixin
    SweepOptions sweep;

    @Option(names = "--max-parallel", defaultValue = "1", paramLabel = "N",
            description = "Steps at once, each in its own JVM (default: ${DEFAULT-VALUE}).")
    int maxParallel;

    @Option(names = "--retries", paramLabel = "N", description = "Retries of a failed step (default: the sweep"
            + " file's retries, else 1).")
    Integer retries;

    @Option(names = "--in-process", description = "Run the steps in this JVM, one at a time (debugging).")
    boolean inProcess;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (maxParallel < 1) {
            throw new UsageException("--max-parallel must be >= 1, got " + maxParallel);
        }
        if (retries != null && retries < 0) {
            throw new UsageException("--retries must be >= 0");
        }
        SweepPlan plan = sweep.plan();
        PrintWriter out = spec.commandLine().getOut();
        try (StepExecutor executor = inProcess ? new InProcessExecutor() : new ChildProcessExecutor(maxParallel)) {
            SweepRun.Result r = SweepRun.run(plan, executor, retries != null ? retries : plan.file().retries(),
                    SweepOptions.reportDir(plan), out);
            return r.engine().ok() ? 0 : 1;
        }
    }
}
