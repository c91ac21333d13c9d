package org.detcon.eval.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.detcon.eval.data.DepthMap;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.NpyDepth;
import org.detcon.eval.data.nyu.NyuDepthV2Png;
import org.detcon.eval.metrics.depth.DepthAveraging;
import org.detcon.eval.metrics.depth.DepthMetricsAccumulator;
import org.detcon.eval.metrics.depth.DepthRange;

/**
 * Depth metrics of a directory of predicted depth maps against ground truth: 16-bit PNG in millimetres (0 =
 * invalid) or float {@code .npy} in metres, on either side, paired by relative path without extension.
 */
public final class DepthMetricsJob {

    /**
     * @param range            valid ground-truth depths (metres)
     * @param averaging        how errors are aggregated over the set
     * @param clampPredictions clamp predictions into the range before computing errors (the usual NYU practice; a
     *                         0 = "no prediction" pixel then counts as the minimum depth); when false such a
     *                         prediction at a valid pixel is an error
     */
    public record Options(DepthRange range, DepthAveraging averaging, boolean clampPredictions) {
        /** NYU Depth v2 defaults: 1e-3..10 m, mean of per-image metrics, predictions clamped. */
        public static final Options NYU = new Options(DepthRange.NYU, DepthAveraging.PER_IMAGE_MEAN, true);

        public Options {
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(averaging, "averaging");
        }
    }

    private DepthMetricsJob() {
    }

    /** With {@link Options#NYU}. */
    public static DepthMetricsReport run(Path gtDir, Path predDir) {
        return run(gtDir, predDir, Options.NYU);
    }

    /** @throws MalformedDataException naming the file on unpaired files, size mismatch or bad values */
    public static DepthMetricsReport run(Path gtDir, Path predDir, Options options) {
        List<String> ext = List.of(".png", ".npy");
        List<FilePairs.Pair> pairs = FilePairs.pair(gtDir, predDir, ext, ext);
        var acc = new DepthMetricsAccumulator(options.range(), options.clampPredictions());
        for (FilePairs.Pair p : pairs) {
            DepthMap gt = read(p.gt());
            DepthMap pred = read(p.pred());
            if (gt.width() != pred.width() || gt.height() != pred.height()) {
                throw new MalformedDataException(p.pred(), "prediction size", pred.width() + "x" + pred.height()
                        + " but the ground truth " + p.gt() + " is " + gt.width() + "x" + gt.height());
            }
            try {
                acc.add(gt.metres(), pred.metres());
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException(p.pred(), "predicted depth", e.getMessage(), e);
            }
        }
        return new DepthMetricsReport(acc.result(options.averaging()), options);
    }

    private static DepthMap read(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? NpyDepth.read(file)
                : NyuDepthV2Png.readDepthPng(file);
    }
}
