package org.detcon.segmentation.fh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
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
 * <p>How: the Gaussian ({@link GaussianBlur}), then the edges grouped by cost range into cache-sized buckets
 * ({@link CostBuckets}), each bucket sorted by exact cost ({@link BucketSort}) and merged ({@link FhMerge}) before
 * the next. The order is the stable (cost, edge index) order; where numpy's introsort may order a group of equal
 * costs differently and the group's order can change the result, numpy's order is used instead (looked up lazily
 * with {@link LazyIntroSort}, or, rarely, the whole scale is redone in numpy's order).
 *
 * <p>Several scales with the same sigma ({@link #segmentAll}) share the blur, the bucketing and the sort; only
 * the merge passes run per scale.
 *
 * <p>Memory in bytes (N pixels, E ≈ 4N edges): the edge keys by slot 32N, grouped into buckets in a second array
 * (8E) when the heap has room, else in place; above {@link FhScratch#MAX_PIXELS} pixels that second array is cut
 * into chunks of at most 64 MiB, filled in several passes when the heap is short ({@link BucketChunks}), and in place
 * only when not even one chunk fits; per scale a union-find of 8N and the rejected edges (a few % of E,
 * 16 bytes each); the labels 4N; when the heap has room, the smoothed image (24N for RGB), from which the few
 * exact costs are read. A 4000×3000 photo runs in -Xmx1g. For images up to {@link FhScratch#MAX_PIXELS} the key
 * arrays and the smoothed image are kept for the thread's next call ({@link FhScratch}, softly held). Only when
 * numpy's order has to be looked up are the costs in edge order (8E) and their slots (4E) built as well.
 */
public final class Felzenszwalb {

    /** Edges per bucket: a bucket's costs, slots and sort scratch stay within a core's L2 cache. */
    static final int BUCKET_EDGES = 16 * 1024;

    /**
     * Share of a bucket's edges found internal from which the following buckets are filtered first (see
     * {@link #dropInternal}); the first buckets, whose edges are mostly between components, go straight to the sort
     * and the main pass, which skips their few internal edges itself.
     */
    static final double FILTER_FROM = 0.3;


    private Felzenszwalb() {
    }

    /** Exact segmentation. */
    public static LabelMap segment(Image8 image, FhParams params) {
        return segment(image, params, FhMode.EXACT, null);
    }

    /** Segmentation in the given mode, adding per-phase times to {@code profile} when it is not null. */
    public static LabelMap segment(Image8 image, FhParams params, FhMode mode, FhProfile profile) {
        return segmentAll(image, List.of(Objects.requireNonNull(params, "params")), mode, profile).get(0);
    }

    /** Exact segmentations of one image for several parameter sets, in the order given. */
    public static List<LabelMap> segmentAll(Image8 image, List<FhParams> params) {
        return segmentAll(image, params, FhMode.EXACT, null);
    }

    /**
     * Segmentations of one image for several parameter sets, in the order given; those with the same sigma share
     * the blur, the edge costs and their order.
     */
    public static List<LabelMap> segmentAll(Image8 image, List<FhParams> params, FhMode mode, FhProfile profile) {
        return segmentAll(image, params, mode, profile, null);
    }

    /** As {@link #segmentAll(Image8, List, FhMode, FhProfile)}, the edge keys in chunks of {@code chunks} (tests). */
    static List<LabelMap> segmentAll(Image8 image, List<FhParams> params, FhMode mode, FhProfile profile,
            BucketChunks.Layout chunks) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mode, "mode");
        Map<Double, List<Integer>> bySigma = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            bySigma.computeIfAbsent(Objects.requireNonNull(params.get(i), "params").sigma(), s -> new ArrayList<>())
                    .add(i);
        }
        LabelMap[] out = new LabelMap[params.size()];
        for (Map.Entry<Double, List<Integer>> group : bySigma.entrySet()) {
            List<FhParams> ps = new ArrayList<>();
            for (int i : group.getValue()) {
                ps.add(params.get(i));
            }
            List<LabelMap> maps = segmentSameSigma(image, group.getKey(), ps, mode, profile, chunks);
            for (int j = 0; j < maps.size(); j++) {
                out[group.getValue().get(j)] = maps.get(j);
            }
        }
        return List.of(out);
    }

    private static List<LabelMap> segmentSameSigma(Image8 image, double sigma, List<FhParams> params, FhMode mode,
            FhProfile profile, BucketChunks.Layout chunks) {
        int w = image.width();
        int h = image.height();
        EdgeGraph graph = new EdgeGraph(w, h);
        double[] halfWeights = GaussianKernel.halfWeights(sigma);
        NumpyOrder numpy = new NumpyOrder(image, halfWeights, graph);
        if (!EdgeKey.fits(w, h)) {
            return inNumpyOrder(image, params, numpy, profile); // beyond 2^24 pixels: slots need more bits
        }
        boolean exact = mode == FhMode.EXACT;

        long t1 = now(profile);
        EdgeCosts ec = new EdgeCosts(image, halfWeights);
        // keep the smoothed image when there is room (8 bytes a sample: reused per thread for small images), so
        // that exact costs are read, not recomputed from 7x7 neighbourhoods
        FhScratch scratch = FhScratch.forPixels(w * h);
        long samples = (long) w * h * image.channels();
        if (scratch.kept() || CostBuckets.fits(8 * samples + 76L * w * h)) { // + both key arrays, union-find, labels
            ec.keepSmoothed(scratch.smoothed((int) samples));
        }
        // the blur streams into the costs; the few exact costs needed later are read from the kept smoothed image
        // (small images) or recomputed from the 8-bit image
        CostBuckets buckets = CostBuckets.build(ec, graph.edgeCount(), BUCKET_EDGES, null, chunks);
        long t2 = now(profile);

        PointCosts exactCosts = new PointCosts(image, halfWeights, ec);
        // a union-find far beyond the caches (images above FhScratch.MAX_PIXELS: 8 bytes a pixel, > 4 MiB; or keys
        // grouped in place, whose walk is random): the branchy find, whose speculation overlaps the out-of-cache
        // loads of several edges better than the branch-free one's three dependent loads, and every bucket filtered
        // (4000x3000 in -Xmx1g, one run each: FH call 7.3 s against 10.5 s with the branch-free find and the adaptive
        // filter; FhBench ab against both on photos: 1 MP -5 to -7 %, 3 MP -10 to -17 %)
        boolean outOfCache = !buckets.slotOrdered || w * h > FhScratch.MAX_PIXELS;
        FhMerge[] runs = new FhMerge[params.size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = new FhMerge(params.get(i), ec);
            runs[i].ds.branchFree = !outOfCache;
        }
        long filterNanos = 0;
        long sortNanos = 0;
        long mergeNanos = 0;
        BucketSort sorter = new BucketSort();
        // the filter pays off once a good part of a bucket's edges are internal (FILTER_FROM); before that the main
        // pass skips the internal edges itself and counts them. Same edges merged or rejected, same order: same labels
        // (out of cache: every bucket filtered)
        boolean filtering = runs.length > 1 || outOfCache;
        for (int b = 0; b < buckets.buckets; b++) {
            int from = buckets.start[b];
            int to = buckets.start[b + 1];
            if (to == from) {
                continue;
            }
            long[] a = buckets.keys(b);
            int base = buckets.offset(b);
            from -= base;
            to -= base;
            long s0 = now(profile);
            double[] costs;
            int internalBefore = runs[0].internalSeen;
            if (b == 0 && !buckets.tinyNonZero) {
                costs = new double[to - from]; // exactly zero, already in slot order
            } else {
                if (filtering) {
                    to = dropInternal(a, from, to, runs);
                } else if (runs[0].needsNumpyOrder) {
                    to = from;
                }
                if (profile != null) {
                    if (filtering) {
                        profile.bucketsFiltered++;
                    } else {
                        profile.bucketsUnfiltered++;
                    }
                }
                long f1 = now(profile);
                filterNanos += f1 - s0;
                s0 = f1;
                sorter.sort(a, from, to, exactCosts);
                costs = sorter.exact;
            }
            long s1 = now(profile);
            for (FhMerge r : runs) {
                r.mainPass(a, from, to, costs, exactCosts, exact);
            }
            if (!filtering && b > 0 && runs[0].internalSeen - internalBefore >= FILTER_FROM * (to - from)) {
                filtering = true;
            }
            sortNanos += s1 - s0;
            mergeNanos += now(profile) - s1;
        }
        buckets = null;
        sorter = null;

        long m0 = now(profile);
        FhMerge[] done = new FhMerge[runs.length];
        for (int i = 0; i < runs.length; i++) {
            FhMerge r = runs[i];
            runs[i] = null;
            if (r.needsNumpyOrder) {
                // a main-pass group of equal costs that may matter (tiny k): this scale again, in numpy's order
                LazyIntroSort full = numpy.get();
                full.finishAll();
                r = new FhMerge(params.get(i), ec);
                r.runInOrder(full.keys(), full.indices());
                if (profile != null) {
                    profile.introsortCalls++;
                }
            } else {
                r.minSizePass(exact ? numpy : null);
                if (profile != null) {
                    profile.bucketCalls++;
                    profile.numpyOrderLookups += r.numpyOrderLookups;
                    profile.tieGroupsProved += r.tieGroupsProved;
                }
            }
            done[i] = r;
        }
        long m1 = now(profile);
        List<LabelMap> maps = new ArrayList<>(done.length);
        for (FhMerge r : done) {
            maps.add(new LabelMap(w, h, r.labels()));
        }
        if (profile != null) {
            long t5 = now(profile);
            profile.edgesNanos += t2 - t1;
            profile.filterNanos += filterNanos;
            profile.sortNanos += sortNanos;
            profile.mergeNanos += mergeNanos + m1 - m0;
            profile.labelNanos += t5 - m1;
            profile.calls += params.size();
        }
        return maps;
    }

    /**
     * Drops from a[from, to) the edges that join two pixels of one component in every scale: they would be skipped
     * whatever their order. The scan is in slot order, so it walks the union-find almost sequentially. Returns the
     * new end.
     */
    private static int dropInternal(long[] a, int from, int to, FhMerge[] runs) {
        if (runs.length == 1) {
            return runs[0].needsNumpyOrder ? from : runs[0].dropInternal(a, from, to);
        }
        int keep = from;
        for (int i = from; i < to; i++) {
            long v = a[i];
            int s = EdgeKey.slot(v);
            for (FhMerge r : runs) {
                if (!r.needsNumpyOrder && !r.internal(s)) {
                    a[keep++] = v;
                    break;
                }
            }
        }
        return keep;
    }

    /** Every scale in numpy's full order (the reference path; used for images beyond 2^24 pixels). */
    private static List<LabelMap> inNumpyOrder(Image8 image, List<FhParams> params, NumpyOrder numpy,
            FhProfile profile) {
        long t0 = now(profile);
        LazyIntroSort full = numpy.get();
        full.finishAll();
        long t1 = now(profile);
        List<LabelMap> maps = new ArrayList<>();
        for (FhParams p : params) {
            FhMerge r = new FhMerge(p, numpy.layout);
            r.runInOrder(full.keys(), full.indices());
            maps.add(new LabelMap(image.width(), image.height(), r.labels()));
        }
        if (profile != null) {
            profile.sortNanos += t1 - t0;
            profile.mergeNanos += now(profile) - t1;
            profile.calls += params.size();
            profile.introsortCalls += params.size();
        }
        return maps;
    }

    /**
     * numpy's order of the edges, built on first use: the costs in edge order (from a fresh blur) and their slots,
     * sorted lazily.
     */
    private static final class NumpyOrder implements Supplier<LazyIntroSort> {
        private final Image8 image;
        private final double[] halfWeights;
        private final EdgeGraph graph;
        final EdgeCosts layout;
        private LazyIntroSort sort;

        NumpyOrder(Image8 image, double[] halfWeights, EdgeGraph graph) {
            this.image = image;
            this.halfWeights = halfWeights;
            this.graph = graph;
            this.layout = new EdgeCosts(image, halfWeights);
        }

        @Override
        public LazyIntroSort get() {
            if (sort == null) {
                sort = new LazyIntroSort(layout.edgeOrder(graph.edgeCount()), graph.slots());
            }
            return sort;
        }
    }

    private static long now(FhProfile profile) {
        return profile == null ? 0 : profile.now();
    }
}
