package org.detcon.cli.eval;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.eval.jobs.SegMetricsJob;
import org.detcon.eval.jobs.SegMetricsReport;
import picocli.CommandLine.Command;
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

    @Option(names = "--gt", required = true, paramLabel = "DIR", description = "Ground-truth label maps.")
    Path gt;

    @Option(names = "--pred", required = true, paramLabel = "DIR", description = "Predicted label maps.")
    Path pred;

    @Option(names = "--num-classes", required = true, paramLabel = "N", description = "Number of classes.")
    int numClasses;

    @Option(names = "--ignore", defaultValue = "255", description = "Ground-truth value to ignore (default: ${DEFAULT-VALUE}).")
    int ignore;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SegMetricsReport report = SegMetricsJob.run(gt, pred, numClasses, ignore);
        spec.commandLine().getOut().println(json ? report.toJson() : report.table());
        return 0;
    }
}
