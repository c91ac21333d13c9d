package org.detcon.cli.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.job.CocoMetricsJob;
import org.detcon.eval.coco.job.CocoMetricsResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon eval coco-metrics}: COCO AP with pycocotools' exact rules. */
@Command(name = "coco-metrics",
        mixinStandardHelpOptions = true,
        description = {
            "COCO detection / instance segmentation metrics, number for number as pycocotools' COCOeval.",
            "Prints pycocotools' 12-line summary, or with --json one object {\"stats\": [12 numbers], "
                    + "\"per_category\": {name: AP@[.5:.95]}} (-1 where there is no ground truth)."})
public final class CocoMetricsCommand implements Callable<Integer> {

    @Option(names = "--gt", required = true, paramLabel = "ANN.json", description = "Ground-truth instances file.")
    Path gt;

    @Option(names = "--dt", required = true, paramLabel = "RESULTS.json", description = "Detection results file.")
    Path dt;

    @Option(names = "--iou-type", required = true, paramLabel = "bbox|segm", description = "bbox or segm.")
    String iouType;

    @Option(names = "--json", description = "Print one JSON object instead of the summary.")
    boolean json;

    @Option(names = "--threads", defaultValue = "1",
            description = "Evaluate categories on this many threads; the numbers are identical (default: ${DEFAULT-VALUE}).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        IouType type;
        try {
            type = IouType.parse(iouType);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--iou-type must be bbox or segm, got '" + iouType + "'");
        }
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + threads);
        }
        CocoMetricsResult result = CocoMetricsJob.run(gt, dt, type, threads);
        spec.commandLine().getOut().println(json ? result.toJson() : result.summaryText().stripTrailing());
        return 0;
    }
}
