package org.detcon.eval.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.DepthMap;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.NpyDepth;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.data.SegSample;
import org.detcon.eval.heads.Bilinear;
import org.detcon.eval.jobs.DepthMetricsJob;
import org.detcon.eval.metrics.depth.DepthEvaluation;
import org.detcon.eval.metrics.depth.DepthMetricsAccumulator;
import org.detcon.eval.metrics.seg.ConfusionMatrix;
import org.detcon.trainer.engine.Torch;

/**
 * A fine-tuned network on the validation split, scored as the metric commands score files, so that
 * {@code detcon eval seg-metrics} / {@code depth-metrics} with their defaults on the written {@code gt/} and
 * {@code predictions/} reproduce the numbers exactly:
 * <ul>
 *   <li>segmentation: the whole image, logits upsampled to it, argmax; one confusion matrix over the split
 *   (integer counts, so the order of images does not matter);</li>
 *   <li>depth: the evaluation window ({@link Preparation#evalDepth}), the prediction bilinearly upsampled to the
 *   ground-truth window at the map's own resolution, NYU's range (1e-3..10 m) with predictions clamped into it, the
 *   mean of per-image metrics taken in the order of the files' names (as the command pairs them).</li>
 * </ul>
 * With an output store, the prediction and the evaluated ground truth of every image are written under
 * {@code predictions/} and {@code gt/}: 16-bit PNG class ids (trainIds for Cityscapes, named
 * {@code CITY/FRAME_gtFine_labelTrainIds.png}; otherwise {@code ID.png}) or float32 {@code .npy} depth in metres
 * ({@code ID.npy}).
 */
final class Evaluation {

    static final String PREDICTIONS = "predictions";
    static final String GT = "gt";

    private Evaluation() {
    }

    /** The file name (relative, without extension) a sample's prediction and ground truth get. */
    static String fileKey(Task task, String id) {
        return task == Task.CITYSCAPES_SEG ? id + "_gtFine_labelTrainIds" : id;
    }

    static ConfusionMatrix segmentation(FinetuneLearner l, Task task, SegDataset val, int n, Preparation prep,
            int classes, ObjectStore save, Consumer<String> progress) throws IOException {
        ConfusionMatrix.Accumulator acc = ConfusionMatrix.accumulator(classes, 255);
        for (int i = 0; i < n; i++) {
            SegSample s = val.load(i);
            Prepared p = checked(val, i, s, prep);
            int[] pred;
            try (NDManager scope = Torch.newManager(l.device())) {
                NDArray logits = l.predict(List.of(p), scope);
                pred = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
            }
            acc.add(p.labels(), pred);
            if (save != null) {
                String key = fileKey(task, s.id());
                save.write(PREDICTIONS + "/" + key + ".png", LabelMapPng.encode(new LabelMap(p.width(), p.height(),
                        pred)));
                save.write(GT + "/" + key + ".png", LabelMapPng.encode(new LabelMap(p.width(), p.height(),
                        p.labels())));
            }
            tick(progress, i + 1, n);
        }
        return acc.snapshot();
    }

    static DepthEvaluation depth(FinetuneLearner l, DepthDataset val, int n, Preparation prep, int batch,
            ObjectStore save, Consumer<String> progress) throws IOException {
        Map<String, DepthMetricsAccumulator> perImage = new TreeMap<>();
        for (int start = 0; start < n; start += batch) {
            List<DepthSample> samples = new ArrayList<>();
            List<Prepared> inputs = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batch); i++) {
                DepthSample s = val.load(i);
                check(val, i, s);
                samples.add(s);
                inputs.add(prep.evalDepth(s));
            }
            try (NDManager scope = Torch.newManager(l.device())) {
                NDArray y = l.predict(inputs, scope);
                for (int k = 0; k < samples.size(); k++) {
                    DepthSample s = samples.get(k);
                    int w = s.depth().width();
                    int h = s.depth().height();
                    int[] win = prep.groundTruthWindow(w, h);
                    float[] pred = Bilinear.resize(y.get(k).expandDims(0), win[3], win[2]).toFloatArray();
                    float[] gt = Preparation.crop(Preparation.validDepth(s), w, h, win);
                    DepthMetricsAccumulator one = new DepthMetricsAccumulator(DepthMetricsJob.Options.NYU.range(),
                            DepthMetricsJob.Options.NYU.clampPredictions());
                    one.add(gt, pred);
                    if (perImage.put(s.id(), one) != null) {
                        throw new IOException(val.name() + ": sample id " + s.id() + " appears twice");
                    }
                    if (save != null) {
                        save.write(PREDICTIONS + "/" + s.id() + ".npy", NpyDepth.encode(new DepthMap(win[2], win[3],
                                pred)));
                        save.write(GT + "/" + s.id() + ".npy", NpyDepth.encode(new DepthMap(win[2], win[3], gt)));
                    }
                }
            }
            tick(progress, Math.min(n, start + batch), n);
        }
        DepthMetricsAccumulator all = new DepthMetricsAccumulator(DepthMetricsJob.Options.NYU.range(),
                DepthMetricsJob.Options.NYU.clampPredictions());
        for (DepthMetricsAccumulator one : perImage.values()) {
            all.merge(one);
        }
        return all.result(DepthMetricsJob.Options.NYU.averaging());
    }

    /**
     * Reads every validation sample once before training, so that a bad one (unreadable, a label of another size,
     * a label outside the classes, a depth map without a valid pixel) stops the job at once, naming its file.
     */
    static void precheck(org.detcon.eval.data.SampleSource<?> val, int n, Preparation prep) {
        for (int i = 0; i < n; i++) {
            Object s = val.load(i);
            if (s instanceof SegSample seg) {
                checked(val, i, seg, prep);
            } else {
                check(val, i, (DepthSample) s);
            }
        }
    }

    private static Prepared checked(org.detcon.eval.data.SampleSource<?> val, int i, SegSample s,
            Preparation prep) {
        try {
            return prep.evalSeg(s);
        } catch (Preparation.LabelOutOfRange e) {
            throw new MalformedDataException(Datasets.file(val, i), "label value", e.getMessage()
                    + "; fix the label map or the class count");
        }
    }

    private static void check(org.detcon.eval.data.SampleSource<?> val, int i, DepthSample s) {
        if (s.validCount() == 0) {
            throw new MalformedDataException(Datasets.file(val, i), "depth", "no valid pixel (all 0 or outside "
                    + DepthMetricsJob.Options.NYU.range().min() + ".." + DepthMetricsJob.Options.NYU.range().max()
                    + " m): fix the depth map or leave the image out of the split");
        }
    }

    private static void tick(Consumer<String> progress, int done, int n) {
        if (done == n || done % 100 == 0) {
            progress.accept("evaluated " + done + "/" + n + " validation images");
        }
    }
}
