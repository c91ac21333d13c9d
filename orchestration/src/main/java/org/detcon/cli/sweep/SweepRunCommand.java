package org.detcon.cli.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import org.detcon.orchestration.sweep.InProcessExecutor;
import org.detcon.orchestration.sweep.ServiceExecutor;
import org.detcon.orchestration.sweep.StepExecutor;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepRun;
import org.detcon.service.client.ServiceClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon sweep run FILE}: runs what is missing, then writes the report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the sweep's missing steps (masks -> pretrain -> evals per cell), each in its own JVM,"
                + " up to --max-parallel at once; then write the report. Finished steps are reused; an interrupted"
                + " pretraining continues from its newest checkpoint.",
            "With --service URL[,URL...] pretraining and evaluations run as jobs on trainer services instead.",
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

    @Option(names = "--service", split = ",", paramLabel = "URL",
            description = "Run pretraining and evaluations as jobs on these trainer services (detcon service"
                    + " start), as many at once as they have slots; data and masks run here.")
    List<String> services = new ArrayList<>();

    @Option(names = "--service-token-file", paramLabel = "FILE", description = "The services' token (their"
            + " STATE/token); default: $" + ServiceClient.TOKEN_ENV + ".")
    Path serviceTokenFile;

    @Option(names = "--service-shared-fs", description = "The services reach the working directory and local data"
            + " at the same paths (a shared filesystem, or services on this machine); without it --service needs"
            + " --outputs s3://... and s3:// pretraining data.")
    boolean serviceSharedFs;

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
        try (StepExecutor executor = executor(plan)) {
            SweepRun.Result r = SweepRun.run(plan, executor, retries != null ? retries : plan.file().retries(),
                    SweepOptions.reportDir(plan), out);
            return r.engine().ok() ? 0 : 1;
        }
    }

    private StepExecutor executor(SweepPlan plan) throws IOException {
        if (services.isEmpty()) {
            if (serviceSharedFs || serviceTokenFile != null) {
                throw new UsageException("--service-shared-fs and --service-token-file go with --service URL");
            }
            return inProcess ? new InProcessExecutor() : new ChildProcessExecutor(maxParallel);
        }
        if (inProcess) {
            throw new UsageException("--in-process and --service exclude each other");
        }
        try {
            ServiceExecutor.requireReachable(plan, serviceSharedFs);
            return ServiceExecutor.connect(services, ServiceClient.token(serviceTokenFile), RunStore.leaseSeconds());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
