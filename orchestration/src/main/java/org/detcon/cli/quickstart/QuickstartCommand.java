package org.detcon.cli.quickstart;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.orchestration.quickstart.Quickstart;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import org.detcon.orchestration.sweep.SweepRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon quickstart}: the whole idea of the paper in one sitting, as the sweep sweeps/quickstart.yaml. */
@Command(name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the sweep sweeps/quickstart.yaml: generates a synthetic scene dataset, computes FH masks with the"
                    + " Beam pipeline on an embedded Flink mini-cluster (dashboard URL printed), pretrains DetCon_B"
                    + " (FH masks) and BYOL (global mask) at the same budget with 2 seeds each, evaluates the"
                    + " backbones along pretraining with frozen-feature linear probes (segmentation mIoU, depth"
                    + " delta<1.25) and writes a report (Markdown, self-contained HTML, CSV).",
            "Every step is recorded in WORKDIR/.detcon/runs.mv.db; running it again reuses what is done and "
                    + "continues an interrupted run where it stopped (see detcon sweep status)."})
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--workdir", defaultValue = "detcon-quickstart", paramLabel = "DIR",
            description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--steps", paramLabel = "N", description = "Pretraining steps per run (default: the sweep's).")
    Long steps;

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between evaluated backbones.")
    Long evalEvery;

    @Option(names = "--images", paramLabel = "N", description = "Training images (default: the sweep's).")
    Integer images;

    @Option(names = "--val-images", paramLabel = "N", description = "Validation images (default: the sweep's).")
    Integer valImages;

    @Option(names = "--runner", description = "Mask pipeline runner: flink (embedded) or direct (default: the"
            + " sweep's, flink).")
    String runner;

    @Option(names = "--max-parallel", defaultValue = "2", paramLabel = "N",
            description = "Steps at once, each in its own JVM (default: ${DEFAULT-VALUE}).")
    int maxParallel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((steps != null && steps < 1) || (evalEvery != null && evalEvery < 1)) {
            throw new UsageException("--steps and --eval-every must be positive");
        }
        if (runner != null && !runner.equals("flink") && !runner.equals("direct")) {
            throw new UsageException("--runner must be flink or direct");
        }
        if (maxParallel < 1) {
            throw new UsageException("--max-parallel must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ChildProcessExecutor executor = new ChildProcessExecutor(maxParallel)) {
            SweepRun.Result r = Quickstart.run(workdir, new Quickstart.Options(steps, evalEvery, images, valImages,
                    runner), executor, out);
            return r.engine().ok() ? 0 : 1;
        }
    }
}
