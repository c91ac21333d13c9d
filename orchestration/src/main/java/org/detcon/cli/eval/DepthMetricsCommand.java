package org.detcon.cli.eval;

import java.util.concurrent.Callable;
import org.detcon.eval.jobs.DepthMetricsJob;
import org.detcon.eval.jobs.DepthMetricsReport;
import org.detcon.eval.metrics.depth.DepthAveraging;
import org.detcon.eval.metrics.depth.DepthRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon eval depth-metrics}: δ thresholds, abs rel, sq rel, RMSE, RMSE log, log10. */
@Command(name = "depth-metrics",
        mixinStandardHelpOptions = true,
        description = {
            "Depth metrics over a folder of ground-truth depth maps and a folder of predictions (16-bit PNG in "
                    + "millimetres with 0 = invalid, or float .npy in metres; paired by relative path without extension).",
            "Valid pixels: ground truth inside [--min-depth, --max-depth]. Predictions are clamped into that range "
                    + "unless --no-clamp is given."})
public final class DepthMetricsCommand implements Callable<Integer> {

    @Mixin
    MetricDirs dirs;

    @Option(names = "--min-depth", defaultValue = "0.001", description = "Smallest valid depth in metres (default: ${DEFAULT-VALUE}).")
    double minDepth;

    @Option(names = "--max-depth", defaultValue = "10", description = "Largest valid depth in metres (default: ${DEFAULT-VALUE}).")
    double maxDepth;

    @Option(names = "--averaging", defaultValue = "PER_IMAGE_MEAN",
            description = "PER_IMAGE_MEAN (mean of per-image metrics, the common NYU code) or POOLED_PIXELS "
                    + "(every valid pixel of the set counts once). Default: ${DEFAULT-VALUE}.")
    DepthAveraging averaging;

    @Option(names = "--no-clamp", description = "Do not clamp predictions into the valid range (a non-positive "
            + "prediction at a valid pixel is then an error).")
    boolean noClamp;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DepthMetricsJob.Options options = new DepthMetricsJob.Options(new DepthRange(minDepth, maxDepth), averaging, !noClamp);
        DepthMetricsReport report = DepthMetricsJob.run(dirs.gt, dirs.pred, options);
        spec.commandLine().getOut().println(dirs.json ? report.toJson() : report.table());
        return 0;
    }
}
