package org.detcon.eval.probe;

import ai.djl.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.image.Image8;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.SampleSource;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.data.SegSample;
import org.detcon.eval.finetune.Datasets;
import org.detcon.eval.metrics.depth.DepthAveraging;
import org.detcon.eval.metrics.depth.DepthMetrics;
import org.detcon.eval.metrics.depth.DepthMetricsAccumulator;
import org.detcon.eval.metrics.seg.ConfusionMatrix;
import org.detcon.eval.metrics.seg.SegMetrics;

/**
 * The frozen-feature protocol: (a) semantic segmentation with a linear per-pixel probe (class-balanced
 * least-squares classifier on one-hot targets, {@link RidgeProbe}: each class's pixels weigh the same in total) evaluated by mIoU over one {@link ConfusionMatrix} of the validation
 * split; (b) depth with a linear probe on log-depth (ridge), predictions {@code exp(·)}, evaluated by δ < 1.25 with
 * {@link DepthMetricsAccumulator} (pixels pooled over the split). Features are upsampled to the label resolution
 * (see {@link RidgeProbe}). Closed form, no randomness: same backbone and data, same numbers.
 */
public final class FrozenProbes {

    /**
     * Probe settings: backbone input size, ridge strength, at most this many training / validation images (0 =
     * all), batch size for the backbone, and the number of classes to fit (0 = the dataset's; a dataset in VOC
     * format with fewer classes than VOC's 21 sets it so absent classes get no output).
     */
    public record Config(int inputSize, double lambda, int maxTrain, int maxVal, int batch, int numClasses) {
        public static Config defaults(int inputSize) {
            return new Config(inputSize, 1e-3, 0, 0, 16, 0);
        }

        public Config withNumClasses(int k) {
            return new Config(inputSize, lambda, maxTrain, maxVal, batch, k);
        }

        public Config withLimits(int train, int val) {
            return new Config(inputSize, lambda, train, val, batch, numClasses);
        }
    }

    private FrozenProbes() {
    }

    /**
     * Both probes, or the one whose datasets are given (the other's are null and its metrics NaN). When the
     * segmentation and depth datasets share sample ids (the same scenes), each image's features are computed once:
     * the caller vouches that same id = same pixels.
     */
    public static ProbeResult run(String backbone, SegDataset segTrain, SegDataset segVal, DepthDataset depthTrain,
            DepthDataset depthVal, Config cfg) throws IOException {
        return run(backbone, segTrain, segVal, depthTrain, depthVal, cfg, Device.cpu());
    }

    /** As above, the backbone's forward passes on {@code device}. */
    public static ProbeResult run(String backbone, SegDataset segTrain, SegDataset segVal, DepthDataset depthTrain,
            DepthDataset depthVal, Config cfg, Device device) throws IOException {
        try (FeatureExtractor fx0 = new FeatureExtractor(backbone, cfg.inputSize(), device)) {
            Cached fx = new Cached(fx0);
            double nan = Double.NaN;
            SegMetrics seg = segTrain == null ? null : segmentation(fx, segTrain, segVal, cfg);
            DepthMetrics depth = depthTrain == null ? null : depth(fx, depthTrain, depthVal, cfg);
            SampleSource<?> train = segTrain != null ? segTrain : depthTrain;
            SampleSource<?> val = segVal != null ? segVal : depthVal;
            return new ProbeResult(seg == null ? nan : seg.meanIou(), seg == null ? nan : seg.pixelAccuracy(),
                    depth == null ? nan : depth.delta1(), depth == null ? nan : depth.absRel(),
                    depth == null ? nan : depth.rmse(), limit(train.ids().size(), cfg.maxTrain()),
                    limit(val.ids().size(), cfg.maxVal()), fx.grid());
        }
    }

    static int limit(int n, int max) {
        return Datasets.limit(n, max);
    }

    public static SegMetrics segmentation(Features fx, SegDataset train, SegDataset val, Config cfg) {
        int k = cfg.numClasses() > 0 ? cfg.numClasses() : train.numClasses();
        RidgeProbe probe = new RidgeProbe(fx.grid(), fx.channels(), k);
        int nTrain = limit(train.ids().size(), cfg.maxTrain());
        // class-balanced: every class's pixels weigh the same in total (labels read in a first pass)
        long[] counts = new long[k];
        for (int i = 0; i < nTrain; i++) {
            for (int c : train.load(i).label().labels()) {
                if (c != train.ignoreIndex() && c >= 0 && c < k) {
                    counts[c]++;
                }
            }
        }
        long total = java.util.Arrays.stream(counts).sum();
        double[] weights = new double[k];
        for (int c = 0; c < k; c++) {
            weights[c] = counts[c] == 0 ? 0 : (double) total / ((double) k * counts[c]);
        }
        probe.setClassWeights(weights);
        for (int start = 0; start < nTrain; start += cfg.batch()) {
            List<SegSample> samples = new ArrayList<>();
            for (int i = start; i < Math.min(nTrain, start + cfg.batch()); i++) {
                samples.add(train.load(i));
            }
            float[][] f = fx.extract(samples.stream().map(SegSample::id).toList(),
                    samples.stream().map(SegSample::image).toList(), cfg.batch());
            for (int i = 0; i < samples.size(); i++) {
                var l = samples.get(i).label();
                probe.addClassification(f[i], l.height(), l.width(), l.labels(), train.ignoreIndex());
            }
        }
        double[] w = probe.solve(cfg.lambda());
        ConfusionMatrix.Accumulator acc = ConfusionMatrix.accumulator(k, val.ignoreIndex());
        int nVal = limit(val.ids().size(), cfg.maxVal());
        for (int start = 0; start < nVal; start += cfg.batch()) {
            List<SegSample> samples = new ArrayList<>();
            for (int i = start; i < Math.min(nVal, start + cfg.batch()); i++) {
                samples.add(val.load(i));
            }
            float[][] f = fx.extract(samples.stream().map(SegSample::id).toList(),
                    samples.stream().map(SegSample::image).toList(), cfg.batch());
            for (int i = 0; i < samples.size(); i++) {
                var l = samples.get(i).label();
                acc.add(l.labels(), probe.predictClasses(f[i], w, l.height(), l.width()));
            }
        }
        return acc.snapshot().metrics();
    }

    public static DepthMetrics depth(Features fx, DepthDataset train, DepthDataset val, Config cfg) {
        RidgeProbe probe = new RidgeProbe(fx.grid(), fx.channels(), 1);
        int nTrain = limit(train.ids().size(), cfg.maxTrain());
        for (int start = 0; start < nTrain; start += cfg.batch()) {
            List<DepthSample> samples = load(train, start, Math.min(nTrain, start + cfg.batch()));
            float[][] f = fx.extract(samples.stream().map(DepthSample::id).toList(), images(samples), cfg.batch());
            for (int i = 0; i < samples.size(); i++) {
                DepthSample s = samples.get(i);
                float[] m = s.depth().metres();
                double[] logd = new double[m.length];
                for (int p = 0; p < m.length; p++) {
                    logd[p] = s.valid()[p] ? Math.log(m[p]) : 0;
                }
                probe.addRegression(f[i], s.depth().height(), s.depth().width(), logd, s.valid());
            }
        }
        double[] w = probe.solve(cfg.lambda());
        DepthMetricsAccumulator acc = new DepthMetricsAccumulator(val.range(), true);
        int nVal = limit(val.ids().size(), cfg.maxVal());
        for (int start = 0; start < nVal; start += cfg.batch()) {
            List<DepthSample> samples = load(val, start, Math.min(nVal, start + cfg.batch()));
            float[][] f = fx.extract(samples.stream().map(DepthSample::id).toList(), images(samples), cfg.batch());
            for (int i = 0; i < samples.size(); i++) {
                DepthSample s = samples.get(i);
                double[] logd = probe.predictValues(f[i], w, s.depth().height(), s.depth().width());
                float[] pred = new float[logd.length];
                for (int p = 0; p < logd.length; p++) {
                    pred[p] = (float) Math.exp(logd[p]);
                }
                acc.add(s.depth().metres(), pred, s.valid());
            }
        }
        return acc.result(DepthAveraging.PER_IMAGE_MEAN).metrics();
    }

    /** Where features come from (id-aware so they can be cached). */
    public interface Features {
        int grid();

        int channels();

        float[][] extract(List<String> ids, List<Image8> images, int batch);
    }

    /** Features of an extractor, computed once per sample id. */
    static final class Cached implements Features {
        private final FeatureExtractor fx;
        private final java.util.Map<String, float[]> cache = new java.util.HashMap<>();

        Cached(FeatureExtractor fx) {
            this.fx = fx;
        }

        public int grid() {
            return fx.grid();
        }

        public int channels() {
            return fx.channels();
        }

        public float[][] extract(List<String> ids, List<Image8> images, int batch) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!cache.containsKey(ids.get(i))) {
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                float[][] f = fx.extract(missing.stream().map(images::get).toList(), batch);
                for (int j = 0; j < f.length; j++) {
                    cache.put(ids.get(missing.get(j)), f[j]);
                }
            }
            float[][] out = new float[ids.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = cache.get(ids.get(i));
            }
            return out;
        }
    }

    private static List<DepthSample> load(DepthDataset d, int from, int to) {
        List<DepthSample> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(d.load(i));
        }
        return out;
    }

    private static List<Image8> images(List<DepthSample> s) {
        return s.stream().map(DepthSample::image).toList();
    }
}
