package org.detcon.cli.eval;

import java.util.concurrent.Callable;
import org.detcon.eval.jobs.SegMetricsJob;
import org.detcon.eval.jobs.SegMetricsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon eval seg-metrics}: per-class IoU, mIoU and pixel accuracy over folders of label PNGs. */
@Command(name = "seg-metrics",
        mixinStandardHelpOptions = true,
        description = {
            "Semantic segmentation metrics over a folder of ground-truth label PNGs and a folder of predictions "
                    + "(paired by relative path without extension; palette, 8-bit or 16-bit PNGs).",
            "One confusion matrix over the whole set; a class absent from both ground truth and predictions has "
                    + "no IoU and is left out of the mean."})
public final class SegMetricsCommand implements Callable<Integer> {

    @Mixin
    MetricDirs dirs;

    @Option(names = "--num-classes", required = true, paramLabel = "N", description = "Number of classes.")
    int numClasses;

    @Option(names = "--ignore", defaultValue = "255", description = "Ground-truth value to ignore (default: ${DEFAULT-VALUE}).")
    int ignore;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SegMetricsReport report = SegMetricsJob.run(dirs.gt, dirs.pred, numClasses, ignore);
        spec.commandLine().getOut().println(dirs.json ? report.toJson() : report.table());
        return 0;
    }
}
