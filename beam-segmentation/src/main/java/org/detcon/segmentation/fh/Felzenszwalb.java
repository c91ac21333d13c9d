package org.detcon.segmentation.fh;

import java.util.Objects;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/**
 * Felzenszwalb–Huttenlocher graph segmentation, bit-identical to {@code skimage.segmentation.felzenszwalb} 0.19.3
 * (numpy 1.24.2, scipy 1.10.1) for 8-bit images: a 1-channel {@link Image8} behaves like skimage on a 2-D array,
 * a 3-channel one like skimage on (H, W, 3). See {@code shared/reference/fh-skimage-spec.md}.
 *
 * <p>Labels are dense, numbered 0.. by first appearance in a row-major scan (skimage's {@code np.unique} inverse).
 * Thread-safe (no shared state). Peak memory is about 8·E + 4·E + 24·N bytes plus the radix scratch (12·E) when it
 * fits in the heap, where E ≈ 4·N edges; without the scratch room the exact introsort is used instead.
 */
public final class Felzenszwalb {

    private Felzenszwalb() {
    }

    /** Exact segmentation. */
    public static LabelMap segment(Image8 image, FhParams params) {
        return segment(image, params, FhMode.EXACT, null);
    }

    /**
     * Segmentation in the given mode, adding per-phase times to {@code profile} when it is not null.
     */
    public static LabelMap segment(Image8 image, FhParams params, FhMode mode, FhProfile profile) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(mode, "mode");
        int w = image.width();
        int h = image.height();
        EdgeGraph graph = new EdgeGraph(w, h);
        long n = (long) w * h;
        double k = params.k();

        long t0 = System.nanoTime();
        double[][] planes = GaussianBlur.blur(image, GaussianKernel.halfWeights(params.sigma()));
        long t1 = System.nanoTime();
        double[] costs = graph.costs(planes);
        planes = null; // free the smoothed image before sorting
        long t2 = System.nanoTime();
        boolean zeroAlwaysMerges = (float) (k / (double) n) > 0.0f;
        int[] order = EdgeOrder.sort(graph, costs, mode, zeroAlwaysMerges, profile);
        long t3 = System.nanoTime();
        DisjointSet ds = FhMerge.run(graph, costs, order, k, params.minSize());
        costs = null;
        order = null;
        long t4 = System.nanoTime();
        int[] labels = FhMerge.labels(ds);
        long t5 = System.nanoTime();
        if (profile != null) {
            profile.blurNanos += t1 - t0;
            profile.edgesNanos += t2 - t1;
            profile.sortNanos += t3 - t2;
            profile.mergeNanos += t4 - t3;
            profile.labelNanos += t5 - t4;
            profile.calls++;
        }
        return new LabelMap(w, h, labels);
    }
}
