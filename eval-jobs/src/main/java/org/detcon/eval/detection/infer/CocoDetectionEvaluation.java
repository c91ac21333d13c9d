package org.detcon.eval.detection.infer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.job.CocoMetricsJob;
import org.detcon.eval.coco.job.CocoMetricsResult;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.model.Detections;

/**
 * Runs a detector over every image of a split, writes {@code bbox_results.json} and {@code segm_results.json} (COCO
 * results format) and scores both with the project's pycocotools-exact COCOeval against the split's instances.
 */
public final class CocoDetectionEvaluation {

    public static final String BOX_RESULTS = "bbox_results.json";
    public static final String SEGM_RESULTS = "segm_results.json";

    private CocoDetectionEvaluation() {
    }

    /** Scores and counts of one evaluation. */
    public record Output(CocoMetricsResult bbox, CocoMetricsResult segm, int images, int detections,
            double seconds) {
    }

    /**
     * @param detector  batch → detections per image (e.g. {@code MaskRcnnTrainer::detect})
     * @param out       where the results files go (null: not written)
     * @param threads   COCOeval threads (same numbers for any count)
     */
    public static Output run(Function<DetectionBatch, List<Detections>> detector, CocoDetectionData data,
            int batchSize, ObjectStore out, int threads) throws IOException {
        long start = System.nanoTime();
        CocoResults results = new CocoResults(data.categories());
        List<CocoImage> images = data.dataset().images();
        int detections = 0;
        for (int s = 0; s < images.size(); s += batchSize) {
            List<DetectionSample> samples = new ArrayList<>();
            for (CocoImage im : images.subList(s, Math.min(images.size(), s + batchSize))) {
                samples.add(data.evalSample(im));
            }
            List<Detections> dets = detector.apply(new DetectionBatch(samples, data.transform().inputSize()));
            for (int i = 0; i < samples.size(); i++) {
                results.add(samples.get(i), dets.get(i));
                detections += dets.get(i).count();
            }
        }
        if (out != null) {
            out.write(BOX_RESULTS, results.boxJson());
            out.write(SEGM_RESULTS, results.segmJson());
        }
        CocoMetricsResult bbox = CocoMetricsJob.run(data.dataset(), results.boxResults(), IouType.BBOX,
                EvalParams.defaults(IouType.BBOX), threads);
        CocoMetricsResult segm = CocoMetricsJob.run(data.dataset(), results.segmResults(), IouType.SEGM,
                EvalParams.defaults(IouType.SEGM), threads);
        return new Output(bbox, segm, images.size(), detections, (System.nanoTime() - start) / 1e9);
    }
}
