package org.detcon.segmentation.fh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.junit.jupiter.api.Test;

class FhPropertyTest {

    static Image8 randomImage(Random rnd, int w, int h, int channels, int levels, int flatBlock) {
        byte[] px = new byte[w * h * channels];
        int bw = (w + flatBlock - 1) / flatBlock;
        int[] blockVal = new int[bw * ((h + flatBlock - 1) / flatBlock) * channels];
        for (int i = 0; i < blockVal.length; i++) {
            blockVal[i] = rnd.nextInt(levels) * (255 / Math.max(1, levels - 1));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int b = (y / flatBlock) * bw + x / flatBlock;
                for (int c = 0; c < channels; c++) {
                    int v = blockVal[b * channels + c];
                    if (rnd.nextInt(4) == 0) {
                        v = Math.min(255, v + rnd.nextInt(7));
                    }
                    px[(y * w + x) * channels + c] = (byte) v;
                }
            }
        }
        return new Image8(w, h, channels, px);
    }

    static void assertDenseFirstAppearance(LabelMap m) {
        int next = 0;
        for (int v : m.labels()) {
            assertTrue(v >= 0 && v <= next, "label " + v + " appears before label " + next);
            if (v == next) {
                next++;
            }
        }
        assertEquals(next, m.segmentCount());
    }

    @Test
    void labelsAreDenseByFirstAppearanceAndSegmentsRespectMinSize() {
        Random rnd = new Random(11);
        for (int it = 0; it < 40; it++) {
            int w = 1 + rnd.nextInt(60);
            int h = 1 + rnd.nextInt(60);
            int ch = rnd.nextBoolean() ? 1 : 3;
            Image8 img = randomImage(rnd, w, h, ch, 2 + rnd.nextInt(20), 1 + rnd.nextInt(8));
            int minSize = rnd.nextInt(60);
            double sigma = new double[] {0.0, 0.5, 0.8, 1.0, 1.3}[rnd.nextInt(5)];
            FhParams p = new FhParams(1 + rnd.nextInt(2000), sigma, minSize);
            LabelMap m = Felzenszwalb.segment(img, p);
            assertEquals(w, m.width());
            assertEquals(h, m.height());
            assertDenseFirstAppearance(m);
            int[] sizes = new int[m.segmentCount()];
            for (int v : m.labels()) {
                sizes[v]++;
            }
            if (sizes.length > 1) {
                for (int s : sizes) {
                    assertTrue(s >= minSize, "segment of " + s + " px < min_size " + minSize + " in " + p);
                }
            }
        }
    }

    /** Gradients quantised to a few steps: many equal non-zero costs, in chains and in isolated pairs. */
    static Image8 tieImage(Random rnd, int w, int h, int channels) {
        byte[] px = new byte[w * h * channels];
        double gx = rnd.nextDouble() * 3;
        double gy = rnd.nextDouble() * 3;
        int noise = rnd.nextInt(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    int v = (int) (40 + gx * x + gy * y + 20 * c) + (noise > 0 && rnd.nextInt(9) == 0 ? noise : 0);
                    px[(y * w + x) * channels + c] = (byte) Math.min(255, v);
                }
            }
        }
        return new Image8(w, h, channels, px);
    }

    /**
     * Checks the bucket order with its tie reasoning (main-pass groups proved order-independent, min_size groups
     * checked or put in numpy's order, scales redone in numpy's order) against the plain introsort pipeline on random
     * images with and without ties: EXACT must equal it every time.
     */
    @Test
    void bucketOrderAgreesWithIntrosortEverywhere() {
        Random rnd = new Random(12);
        FhProfile prof = new FhProfile();
        for (int it = 0; it < 200; it++) {
            int w = 2 + rnd.nextInt(50);
            int h = 2 + rnd.nextInt(50);
            int ch = rnd.nextBoolean() ? 1 : 3;
            Image8 img = it % 2 == 0 ? randomImage(rnd, w, h, ch, 256, 1 + rnd.nextInt(10))
                    : tieImage(rnd, w, h, ch);
            // tiny scales make (float)(c + k/N) == c possible: main-pass ties that need numpy's order
            FhParams p = new FhParams(new double[] {1e-4, 1, 10, 100, 500, 1000}[rnd.nextInt(6)],
                    new double[] {0.0, 0.5, 0.8}[rnd.nextInt(3)], rnd.nextInt(50));
            LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
            LabelMap intro = FelzenszwalbTestAccess.segmentIntrosortOnly(img, p);
            assertArrayEquals(intro.labels(), exact.labels(), "EXACT differs from introsort-only for " + p
                    + " on iteration " + it);
        }
        System.out.println("FH bucket-order property test: " + prof);
        assertTrue(prof.tieGroupsProved() > 5, "the tie-group proofs must be exercised: " + prof);
        assertTrue(prof.numpyOrderLookups() > 5, "numpy-order lookups must be exercised: " + prof);
        assertTrue(prof.introsortCalls() > 0, "the full introsort redo must be exercised: " + prof);
    }

    /**
     * Images of many buckets, one after another on one thread, larger and smaller (the thread's reused key arrays
     * are then longer than the edges, with stale keys beyond them), with the filter off for the first buckets and
     * on from the bucket where internal edges become common: EXACT equals the plain introsort pipeline.
     */
    @Test
    void reusedArraysAndAdaptiveFilterAgreeWithIntrosort() {
        Random rnd = new Random(14);
        FhProfile prof = new FhProfile();
        int[][] sizes = {{300, 200}, {41, 37}, {260, 250}, {120, 90}, {300, 201}, {199, 300}, {7, 500}};
        for (int it = 0; it < sizes.length; it++) {
            int w = sizes[it][0];
            int h = sizes[it][1];
            Image8 img = it % 3 == 2 ? tieImage(rnd, w, h, 3) : randomImage(rnd, w, h, 3, 256, 2 + rnd.nextInt(12));
            FhParams p = new FhParams(new double[] {100, 500, 1000}[it % 3], 0.8, 20 + 30 * it);
            LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
            LabelMap intro = FelzenszwalbTestAccess.segmentIntrosortOnly(img, p);
            assertArrayEquals(intro.labels(), exact.labels(), "EXACT differs from introsort-only for " + p + " on "
                    + w + "x" + h);
        }
        assertTrue(prof.bucketsFiltered() > 10 && prof.bucketsUnfiltered() > 3,
                "both the filtered and the unfiltered buckets must be exercised: " + prof);
    }

    /**
     * Images above {@link FhScratch#MAX_PIXELS} take the route for a union-find out of the caches (branchy finds,
     * every bucket filtered, the endpoints' parents read in stages of {@link FhMerge#STAGE} and checked before use):
     * EXACT equals the plain introsort pipeline, with and without ties, at a scale whose main-pass ties are
     * proved and at one that merges little (many rejects for the min_size pass).
     */
    @Test
    void outOfCacheRouteAgreesWithIntrosort() {
        Random rnd = new Random(16);
        int w = 1030;
        int h = 512;
        assertTrue(w * h > FhScratch.MAX_PIXELS, "the images must be above the in-cache size");
        int filtered = 0;
        for (int it = 0; it < 3; it++) {
            Image8 img = it == 0 ? randomImage(rnd, w, h, 3, 256, 3)
                    : it == 1 ? randomImage(rnd, w, h, 3, 8, 12) : tieImage(rnd, w, h, 3);
            FhParams p = new FhParams(new double[] {500, 1000, 10}[it], 0.8, new int[] {200, 1000, 30}[it]);
            FhProfile prof = new FhProfile();
            LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
            LabelMap intro = FelzenszwalbTestAccess.segmentIntrosortOnly(img, p);
            assertArrayEquals(intro.labels(), exact.labels(), "EXACT differs from introsort-only for " + p
                    + " on image " + it);
            assertTrue(prof.bucketsFiltered() > 0 && prof.bucketsUnfiltered() == 0,
                    "every bucket must be filtered out of cache: " + prof);
            filtered += prof.bucketsFiltered();
        }
        assertTrue(filtered > 200, "many buckets must go through the staged filter: " + filtered);
    }

    /** Several scales in one call (shared blur, buckets and sort) give what each scale gives alone. */
    @Test
    void segmentAllEqualsSeparateCalls() {
        Random rnd = new Random(13);
        for (int it = 0; it < 30; it++) {
            Image8 img = it % 2 == 0 ? randomImage(rnd, 3 + rnd.nextInt(60), 3 + rnd.nextInt(60), 3, 256, 3)
                    : tieImage(rnd, 3 + rnd.nextInt(60), 3 + rnd.nextInt(60), 3);
            java.util.List<FhParams> ps = java.util.List.of(FhParams.of(100), new FhParams(5, 0.8, 3),
                    new FhParams(300, 0.5, 20), FhParams.of(1000), new FhParams(1, 0.8, 40));
            java.util.List<LabelMap> all = Felzenszwalb.segmentAll(img, ps);
            for (int i = 0; i < ps.size(); i++) {
                assertArrayEquals(Felzenszwalb.segment(img, ps.get(i)).labels(), all.get(i).labels(),
                        ps.get(i) + " on iteration " + it);
            }
        }
    }

    @Test
    void grayscaleIsOneChannelNotReplicatedRgb() {
        Random rnd = new Random(3);
        Image8 gray = randomImage(rnd, 40, 30, 1, 256, 1);
        FhParams p = new FhParams(100, 0.8, 5);
        LabelMap g = Felzenszwalb.segment(gray, p);
        LabelMap rgb = Felzenszwalb.segment(gray.toRgb(), p);
        assertDenseFirstAppearance(g);
        // replicated RGB has costs sqrt(3)·|d|, so it yields more (or at least different) segments
        assertNotEquals(g.segmentCount(), rgb.segmentCount());
        assertTrue(rgb.segmentCount() > g.segmentCount());
        // two flat halves: both agree on exactly two segments
        byte[] px = new byte[20 * 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 20) < 10 ? 10 : 240);
        }
        Image8 halves = new Image8(20, 10, 1, px);
        assertEquals(2, Felzenszwalb.segment(halves, new FhParams(10, 0.8, 50)).segmentCount());
        assertEquals(2, Felzenszwalb.segment(halves.toRgb(), new FhParams(10, 0.8, 50)).segmentCount());
    }

    @Test
    void fastModeEqualsExactOnNoTieImage() {
        Random rnd = new Random(4);
        Image8 img = randomImage(rnd, 64, 48, 3, 256, 1);
        FhParams p = FhParams.of(500);
        FhProfile prof = new FhProfile();
        LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
        LabelMap fast = Felzenszwalb.segment(img, p, FhMode.FAST, null);
        assertArrayEquals(exact.labels(), fast.labels());
        assertEquals(1, prof.calls());
        assertEquals(1, prof.bucketCalls());
        assertTrue(prof.totalNanos() > 0);
    }

    @Test
    void paramsValidation() {
        FhParams p = FhParams.of(1000);
        assertEquals(1000, p.minSize());
        assertEquals(0.8, p.sigma());
        assertEquals(1000 / 255.0, p.k());
        assertThrows(IllegalArgumentException.class, () -> new FhParams(0, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(-1, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(Double.NaN, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(Double.POSITIVE_INFINITY, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, -0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, 5000, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FhParams(100, 0.8, -1));
        assertTrue(e.getMessage().contains("minSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FhParams.of(0));
        assertThrows(NullPointerException.class, () -> Felzenszwalb.segment(null, p));
    }

    @Test
    void edgeGraphEndpointsAndSlotsAgree() {
        for (int[] wh : new int[][] {{1, 1}, {1, 5}, {5, 1}, {2, 2}, {7, 5}, {13, 4}}) {
            EdgeGraph g = new EdgeGraph(wh[0], wh[1]);
            assertEquals(4L * wh[0] * wh[1] - 3L * wh[1] - 3L * wh[0] + 2, g.edgeCount());
            int[] slots = g.slots();
            EdgeCosts ec = new EdgeCosts(new Image8(wh[0], wh[1], 1, new byte[wh[0] * wh[1]]), null);
            for (int e = 0; e < g.edgeCount(); e++) {
                assertEquals(g.endpointA(e), ec.endpointA(slots[e]));
                assertEquals(g.endpointB(e), ec.endpointB(slots[e]));
                if (e > 0) {
                    assertTrue(slots[e] > slots[e - 1], "slots increase with the edge index");
                }
            }
        }
        EdgeGraph g = new EdgeGraph(3, 2);
        // right block first: edge 0 joins (0,1)-(0,0); down block starts at H(W-1) = 4
        assertEquals(1, g.endpointA(0));
        assertEquals(0, g.endpointB(0));
        assertEquals(3, g.endpointA(4));
        assertEquals(0, g.endpointB(4));
        // up-right: (y, x+1) and (y+1, x)
        assertEquals(1, g.endpointA(g.edgeCount() - 2));
        assertEquals(3, g.endpointB(g.edgeCount() - 2));
    }

    /** Bins are monotone in the cost, 0 only for 0; buckets hold increasing cost ranges in slot order. */
    @Test
    void costBucketsPartitionByCostRange() {
        Random rnd = new Random(5);
        double prev = 0;
        int prevBin = 0;
        double[] samples = new double[200_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i % 10 == 0 ? Math.scalb(rnd.nextDouble(), -rnd.nextInt(70)) : rnd.nextDouble() * 1.8;
        }
        java.util.Arrays.sort(samples);
        for (double c : samples) {
            int b = CostBuckets.bin(c);
            assertEquals(b, CostBuckets.binOf(EdgeKey.of(c, 7)), "bin from the edge key of " + c);
            assertTrue(b >= prevBin, "bin of " + c + " below bin of " + prev);
            assertEquals(c == 0.0, b == 0);
            prev = c;
            prevBin = b;
        }
        Image8 img = tieImage(rnd, 90, 70, 3);
        EdgeGraph g = new EdgeGraph(90, 70);
        EdgeCosts ec = new EdgeCosts(img, GaussianKernel.halfWeights(0.8));
        CostBuckets cb = CostBuckets.build(ec, g.edgeCount(), 500);
        PointCosts pc = new PointCosts(img, GaussianKernel.halfWeights(0.8), ec);
        assertTrue(cb.buckets > 10);
        assertEquals(g.edgeCount(), cb.start[cb.buckets]);
        double maxBefore = 0;
        for (int b = 0; b < cb.buckets; b++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int i = cb.start[b]; i < cb.start[b + 1]; i++) {
                double c = pc.cost(EdgeKey.slot(cb.order[i]));
                assertEquals(b == 0, c == 0.0, "bucket 0 holds exactly the zero costs");
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
                if (i > cb.start[b]) {
                    assertTrue(EdgeKey.slot(cb.order[i]) > EdgeKey.slot(cb.order[i - 1]), "slot order in a bucket");
                }
            }
            if (cb.start[b + 1] > cb.start[b]) {
                assertTrue(b == 0 || lo > maxBefore, "bucket " + b + " starts above the previous buckets");
                maxBefore = Math.max(maxBefore, hi);
            }
        }
    }

    /** Without room for a second array the keys are moved into their buckets in place: same buckets, same keys. */
    @Test
    void inPlaceBucketsHoldTheSameKeys() {
        Random rnd = new Random(8);
        Image8 img = tieImage(rnd, 70, 50, 3);
        int edges = new EdgeGraph(70, 50).edgeCount();
        EdgeCosts ec = new EdgeCosts(img, GaussianKernel.halfWeights(0.8));
        CostBuckets scattered = CostBuckets.build(ec, edges, 300, false);
        CostBuckets inPlace = CostBuckets.build(ec, edges, 300, true);
        assertArrayEquals(scattered.start, inPlace.start);
        for (int b = 0; b < scattered.buckets; b++) {
            long[] x = java.util.Arrays.copyOfRange(scattered.order, scattered.start[b], scattered.start[b + 1]);
            long[] y = java.util.Arrays.copyOfRange(inPlace.order, inPlace.start[b], inPlace.start[b + 1]);
            java.util.Arrays.sort(x);
            java.util.Arrays.sort(y);
            assertArrayEquals(x, y, "bucket " + b);
        }
    }

    /**
     * Chunks of whole buckets (large images), filled in one pass or in several when few arrays fit: every bucket
     * holds the same keys in the same (slot) order as in the one grouped array.
     */
    @Test
    void chunkedBucketsEqualTheGroupedArray() {
        Random rnd = new Random(9);
        Image8 img = tieImage(rnd, 90, 70, 3);
        int edges = new EdgeGraph(90, 70).edgeCount();
        EdgeCosts ec = new EdgeCosts(img, GaussianKernel.halfWeights(0.8));
        CostBuckets scattered = CostBuckets.build(ec, edges, 300, false);
        int[][] layouts = {{1000, 1000}, {1000, 2}, {700, 1}, {1, 3}};
        for (int[] layout : layouts) {
            CostBuckets chunked = CostBuckets.build(ec, edges, 300, null,
                    new BucketChunks.Layout(layout[0], layout[1]));
            assertTrue(chunked.chunks != null && chunked.slotOrdered);
            assertTrue(chunked.chunks.chunks() > 3, "several chunks: " + chunked.chunks.chunks());
            assertArrayEquals(scattered.start, chunked.start);
            for (int b = 0; b < scattered.buckets; b++) {
                long[] x = java.util.Arrays.copyOfRange(scattered.order, scattered.start[b], scattered.start[b + 1]);
                long[] a = chunked.keys(b);
                int off = chunked.offset(b);
                long[] y = java.util.Arrays.copyOfRange(a, chunked.start[b] - off, chunked.start[b + 1] - off);
                assertArrayEquals(x, y, "bucket " + b + " with chunks of " + layout[0] + ", " + layout[1]
                        + " arrays");
            }
        }
    }

    /** The whole segmentation on chunked buckets (one pass and several) gives the labels of the grouped array. */
    @Test
    void chunkedSegmentationEqualsGroupedArray() {
        Random rnd = new Random(15);
        int[][] sizes = {{300, 200}, {120, 90}, {199, 300}};
        for (int it = 0; it < sizes.length; it++) {
            Image8 img = it == 1 ? tieImage(rnd, sizes[it][0], sizes[it][1], 3)
                    : randomImage(rnd, sizes[it][0], sizes[it][1], 3, 256, 2 + rnd.nextInt(12));
            java.util.List<FhParams> ps = java.util.List.of(FhParams.of(100), new FhParams(1000, 0.8, 50));
            java.util.List<LabelMap> grouped = Felzenszwalb.segmentAll(img, ps);
            LabelMap single = Felzenszwalb.segment(img, ps.get(1));
            String size = sizes[it][0] + "x" + sizes[it][1];
            for (int maxArrays : new int[] {0, 1, 3}) {
                BucketChunks.Layout layout = new BucketChunks.Layout(20_000, maxArrays);
                java.util.List<LabelMap> chunked = Felzenszwalb.segmentAll(img, ps, FhMode.EXACT, null, layout);
                for (int i = 0; i < ps.size(); i++) {
                    assertArrayEquals(grouped.get(i).labels(), chunked.get(i).labels(), ps.get(i) + " on " + size
                            + ", " + maxArrays + " arrays");
                }
                assertArrayEquals(single.labels(), Felzenszwalb.segmentAll(img, java.util.List.of(ps.get(1)),
                        FhMode.EXACT, null, layout).get(0).labels());
            }
        }
    }

    /** The in-bucket sort is the stable (exact cost, slot) order, with ties, near-ties and long runs. */
    @Test
    void bucketSortIsStableByExactCost() {
        Random rnd = new Random(6);
        BucketSort sorter = new BucketSort();
        for (int it = 0; it < 40; it++) {
            // a synthetic "image" whose edge costs we choose: PointCosts is replaced by a lookup
            int n = 1 + rnd.nextInt(20_000);
            double[] bySlot = new double[4 * n];
            double base = rnd.nextDouble();
            for (int s = 0; s < bySlot.length; s++) {
                bySlot[s] = switch (it % 3) {
                    case 0 -> rnd.nextDouble();
                    case 1 -> rnd.nextInt(4) == 0 ? base : base + rnd.nextInt(3000) * 0x1p-52; // near-ties
                    default -> Math.sqrt(rnd.nextInt(50)) * 0.01; // exact ties
                };
            }
            long[] a = new long[n];
            for (int i = 0, s = 0; i < n; i++) {
                s += 1 + rnd.nextInt(3);
                a[i] = EdgeKey.of(bySlot[s], s);
            }
            long[] in = a.clone();
            sorter.sort(a, 0, n, s -> bySlot[s]);
            Long[] want = new Long[n];
            for (int i = 0; i < n; i++) {
                want[i] = in[i];
            }
            java.util.Arrays.sort(want, (x, y) -> Double.compare(bySlot[EdgeKey.slot(x)], bySlot[EdgeKey.slot(y)]));
            for (int i = 0; i < n; i++) {
                assertEquals((long) want[i], a[i], "iteration " + it + " position " + i);
                double e = sorter.exact[i];
                assertTrue(Double.isNaN(e) || e == bySlot[EdgeKey.slot(a[i])]);
                boolean shared = (i > 0 && EdgeKey.key(a[i - 1]) == EdgeKey.key(a[i]))
                        || (i + 1 < n && EdgeKey.key(a[i + 1]) == EdgeKey.key(a[i]));
                assertEquals(shared, !Double.isNaN(e), "exact cost known exactly for shared truncated costs");
            }
        }
    }

    /**
     * Long runs of one truncated cost (the merge-sort path, above {@link BucketSort#LONG_RUN}), of lengths around
     * the block and merge sizes, with many equal exact costs: the same order as a stable boxed sort.
     */
    @Test
    void longRunsOfOneTruncatedCostSortStably() {
        Random rnd = new Random(61);
        BucketSort sorter = new BucketSort();
        int[] lengths = {BucketSort.LONG_RUN + 1, 257 + 31, 512, 513, 1000, 4097, 20_000};
        for (int len : lengths) {
            for (int distinct : new int[] {1, 3, 1000, -1, -2}) {
                // costs that differ only below the truncation: one truncated cost for the whole run; -1: rising
                // along the run (already in order), -2: rising in blocks of 100 (some merges already in order)
                double base = 0.25;
                double[] bySlot = new double[2 * len + 2];
                for (int s = 0; s < bySlot.length; s++) {
                    int step = distinct == -1 ? s : distinct == -2 ? (s % 200) + rnd.nextInt(2) : rnd.nextInt(distinct);
                    bySlot[s] = base + step * 0x1p-52;
                }
                long[] a = new long[len];
                for (int i = 0; i < len; i++) {
                    a[i] = EdgeKey.of(bySlot[2 * i + 1], 2 * i + 1);
                }
                assertEquals(EdgeKey.key(a[0]), EdgeKey.key(a[len - 1]), "one truncated cost");
                Long[] want = new Long[len];
                for (int i = 0; i < len; i++) {
                    want[i] = a[i];
                }
                java.util.Arrays.sort(want, (x, y) -> Double.compare(bySlot[EdgeKey.slot(x)], bySlot[EdgeKey.slot(y)]));
                sorter.sort(a, 0, len, s -> bySlot[s]);
                for (int i = 0; i < len; i++) {
                    assertEquals((long) want[i], a[i], "length " + len + ", " + distinct + " costs, position " + i);
                    assertEquals(bySlot[EdgeKey.slot(a[i])], sorter.exact[i]);
                }
            }
        }
    }

    /** Exact costs recomputed from the 8-bit image equal the streamed costs, bit for bit. */
    @Test
    void pointCostsEqualBlurredCosts() {
        Random rnd = new Random(7);
        for (int it = 0; it < 20; it++) {
            int w = 1 + rnd.nextInt(40);
            int h = 1 + rnd.nextInt(40);
            Image8 img = randomImage(rnd, w, h, it % 2 == 0 ? 3 : 1, 256, 1 + rnd.nextInt(4));
            double sigma = new double[] {0.0, 0.5, 0.8, 1.0, 2.3}[it % 5];
            double[] hw = GaussianKernel.halfWeights(sigma);
            EdgeCosts ec = new EdgeCosts(img, hw);
            PointCosts pc = new PointCosts(img, hw, ec);
            EdgeGraph g = new EdgeGraph(w, h);
            EdgeCosts kept = new EdgeCosts(img, hw);
            kept.keepSmoothed(new double[w * h * img.channels() + 5]); // stale tail, as a reused buffer may have
            double[] streamed = kept.edgeOrder(g.edgeCount());
            PointCosts fromKept = new PointCosts(img, hw, kept);
            int[] slots = g.slots();
            for (int e = 0; e < slots.length; e++) {
                assertEquals(Double.doubleToRawLongBits(streamed[e]), Double.doubleToRawLongBits(pc.cost(slots[e])),
                        "edge " + e + " of a " + w + "x" + h + " image, sigma " + sigma);
                assertEquals(Double.doubleToRawLongBits(streamed[e]),
                        Double.doubleToRawLongBits(fromKept.cost(slots[e])),
                        "edge " + e + " from the kept smoothed image, " + w + "x" + h + ", sigma " + sigma);
            }
        }
    }
}
