package org.detcon.eval.coco.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.coco.CocoResultsReader;
import org.detcon.eval.coco.data.CocoEvalLoader;
import org.detcon.eval.coco.data.EvalInput;
import org.detcon.eval.coco.eval.CocoEvaluator;
import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.EvalResult;
import org.detcon.eval.coco.eval.IouType;

/**
 * {@code detcon eval coco-metrics}: COCO detection metrics of a results file against an instances file, with the
 * numbers pycocotools' {@code COCOeval} gives ({@code evaluate(); accumulate(); summarize()} with default
 * parameters).
 *
 * <pre>{@code
 * CocoMetricsResult r = CocoMetricsJob.run(gtJson, resultsJson, IouType.BBOX);
 * System.out.print(json ? r.toJson() : r.summaryText());
 * }</pre>
 */
public final class CocoMetricsJob {

    private CocoMetricsJob() {
    }

    /** Reads both files and evaluates single-threaded. */
    public static CocoMetricsResult run(Path gt, Path results, IouType iouType) throws IOException {
        return run(gt, results, iouType, 1);
    }

    /** Reads both files and evaluates; {@code threads > 1} evaluates categories in parallel (same numbers). */
    public static CocoMetricsResult run(Path gt, Path results, IouType iouType, int threads) throws IOException {
        CocoDataset g = CocoReader.read(gt);
        List<CocoDetection> d = CocoResultsReader.read(results);
        return run(g, d, iouType, EvalParams.defaults(iouType), threads);
    }

    /** Evaluates already-read data with the given parameters. */
    public static CocoMetricsResult run(CocoDataset gt, List<CocoDetection> results, IouType iouType,
            EvalParams params, int threads) {
        if (params.iouType() != iouType) {
            throw new IllegalArgumentException("params are for " + params.iouType() + ", not " + iouType);
        }
        EvalInput in = CocoEvalLoader.load(gt, results, iouType);
        EvalResult r = CocoEvaluator.evaluate(in.dataset(), params, in.iou(), threads);
        return new CocoMetricsResult(iouType, CocoSummary.of(r), CocoEvalLoader.categoryNames(in.dataset()));
    }
}
