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
 * Thread-safe (no shared state).
 *
 * <p>Edge order ({@link EdgeOrder}): a packed 3-pass radix sort whenever it provably gives numpy's order (no equal
 * non-zero costs, or every group of them order-independent, checked during the merge); otherwise the exact port
 * of numpy's introsort ({@link NumpyIntroSort}).
 *
 * <p>Memory in bytes (N pixels, E ≈ 4N edges): the blur holds (C+1)·8N; then either the packed path (costs by
 * slot 32N, packed keys 8E and radix scratch 8E, used when that fits in the free heap and N ≤ 2^24) or the
 * introsort path (costs 8E + payloads 4E); the union-find takes 12N (+4N for tie checks) and the labels 4N.
 * A 4000×3000 RGB image runs in -Xmx1g on the introsort path (see {@code bench/fh/run.sh}).
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

        long t0 = profile == null ? 0 : profile.now();
        double[][] planes = GaussianBlur.blur(image, GaussianKernel.halfWeights(params.sigma()));
        long t1 = profile == null ? 0 : profile.now();
        boolean zeroAlwaysMerges = (float) (k / (double) n) > 0.0f;
        long[] costsDone = new long[1];
        EdgeOrder order = EdgeOrder.compute(graph, planes, mode, zeroAlwaysMerges, profile, costsDone);
        planes = null;
        long t3 = profile == null ? 0 : profile.now();
        DisjointSet ds = null;
        long fallbackSort = 0;
        if (order.packed != null) {
            ds = FhMerge.runPacked(graph, order.packed, order.costsBySlot, k, params.minSize(), order.checkTies);
            if (ds != null && order.checkTies && profile != null) {
                profile.tiesProvedIrrelevant++;
            }
            if (ds == null) {
                // a group of equal costs whose order matters: redo with numpy's exact order
                long f0 = profile == null ? 0 : profile.now();
                order.useIntrosortFromSlots(graph, order.costsBySlot, profile);
                fallbackSort = (profile == null ? 0 : profile.now()) - f0;
            }
        }
        if (order.packed == null) {
            ds = FhMerge.run(graph, order.sortedCosts, order.sortedPayloads, k, params.minSize());
        }
        order = null;
        long t4 = profile == null ? 0 : profile.now();
        int[] labels = FhMerge.labels(ds);
        long t5 = profile == null ? 0 : profile.now();
        if (profile != null) {
            long t2 = costsDone[0];
            profile.blurNanos += t1 - t0;
            profile.edgesNanos += t2 - t1;
            profile.sortNanos += t3 - t2 + fallbackSort;
            profile.mergeNanos += t4 - t3 - fallbackSort;
            profile.labelNanos += t5 - t4;
            profile.calls++;
        }
        return new LabelMap(w, h, labels);
    }
}
