package org.detcon.segmentation.fh;

/**
 * The first, coarse level of the edge sort: edges grouped by cost range into buckets small enough to be sorted
 * and merged inside the cache, in increasing cost order. Bucket 0 holds exactly the zero costs; every later
 * bucket is a run of consecutive {@link #bin bins}, so all costs of bucket b are below all costs of bucket b+1
 * and equal costs always share a bucket. Within a bucket the slots are in increasing order (the stable order).
 *
 * <p>Memory: the edge keys by slot (8 bytes per slot, 4 slots per pixel), then grouped into a second array (8 bytes
 * per edge), or, when the heap has no room for it, in place. For small images both arrays are reused from the
 * previous call on the same thread ({@link FhScratch}); {@link #order} may then be longer than the edges. Larger
 * images group into chunks of whole buckets instead ({@link BucketChunks}: no huge contiguous allocation, filled in
 * several passes when the heap is short), in place only when not even one chunk fits. Read a bucket's keys with
 * {@link #keys} and {@link #offset}.
 */
final class CostBuckets {

    /** Mantissa bits of a cost that refine its binade into bins. */
    static final int MANTISSA_BITS = 9;
    /** Lowest biased exponent with its own bins: non-zero costs below 2^-30 share bin 1. */
    static final int EXP_LO = 1023 - 30;
    /** Highest biased exponent binned (costs up to 2^3, above sqrt(3)); larger ones share the last bin. */
    static final int EXP_HI = 1023 + 2;
    static final int BINS = 2 + ((EXP_HI - EXP_LO + 1) << MANTISSA_BITS);

    /** {@link EdgeKey Edge keys}, bucket after bucket (null when grouped in {@link #chunks}). */
    final long[] order;
    /** The keys grouped in chunks (large images), or null. */
    final BucketChunks chunks;
    /**
     * Bucket b is {@code order[start[b] .. start[b+1])}; bucket 0 = the truncated cost 0, i.e. the zero costs (and
     * non-zero costs below 2^-1049, if any: then {@link #tinyNonZero}).
     */
    final int[] start;
    final int buckets;
    /** Size of the largest bucket after bucket 0. */
    final int largest;
    /** Whether bucket 0 holds non-zero costs (never seen on real images). */
    final boolean tinyNonZero;
    /** Whether each bucket is in slot order (false when grouped in place). */
    final boolean slotOrdered;

    private CostBuckets(long[] order, BucketChunks chunks, int[] start, int buckets, int largest,
            boolean tinyNonZero, boolean slotOrdered) {
        this.slotOrdered = slotOrdered;
        this.order = order;
        this.chunks = chunks;
        this.start = start;
        this.buckets = buckets;
        this.largest = largest;
        this.tinyNonZero = tinyNonZero;
    }

    /**
     * The array holding bucket b's keys, from index {@code start[b] - offset(b)}. Ask for buckets in non-decreasing
     * order: with chunks, a later bucket may release or refill the arrays of earlier ones.
     */
    long[] keys(int b) {
        return chunks == null ? order : chunks.keys(b);
    }

    /** What to subtract from {@link #start} to index bucket b in {@link #keys}{@code (b)}. */
    int offset(int b) {
        return chunks == null ? 0 : chunks.offset(b);
    }

    /**
     * Bin of a non-negative cost: monotone non-decreasing in the cost, 0 exactly for 0, and a function of the bits
     * kept by {@link EdgeKey}, so equal truncated costs share a bin.
     */
    static int bin(double c) {
        long bits = Double.doubleToRawLongBits(c);
        if (bits == 0) {
            return 0;
        }
        int e = (int) (bits >>> 52);
        if (e < EXP_LO) {
            return 1;
        }
        if (e > EXP_HI) {
            return BINS - 1;
        }
        return 2 + ((e - EXP_LO) << MANTISSA_BITS) + (int) ((bits >>> (52 - MANTISSA_BITS)) & ((1 << MANTISSA_BITS) - 1));
    }

    /**
     * Groups all edges into buckets of about {@code target} edges: one pass computes every edge key (by slot) and
     * the bin histogram, then the keys are scattered into their buckets.
     */
    static CostBuckets build(EdgeCosts costs, int edgeCount, int target) {
        return build(costs, edgeCount, target, null, null);
    }

    /** As {@link #build(EdgeCosts, int, int)}; {@code inPlace} null = decided by the free heap. */
    static CostBuckets build(EdgeCosts costs, int edgeCount, int target, Boolean inPlace) {
        return build(costs, edgeCount, target, inPlace, null);
    }

    /**
     * As {@link #build(EdgeCosts, int, int, Boolean)}; with {@code inPlace} null, {@code chunks} non-null groups the
     * keys in chunks of that layout whatever the image's size (else only images too large for the scratch are).
     */
    static CostBuckets build(EdgeCosts costs, int edgeCount, int target, Boolean inPlace,
            BucketChunks.Layout chunks) {
        int w = costs.width;
        int n = costs.n;
        FhScratch scratch = FhScratch.forPixels(n);
        long[] bySlot = scratch.keys(4 * n); // may be longer than 4n: only [0, 4n) is used
        int[] count = scratch.count(BINS + 1); // [BINS]: non-zero costs whose truncated cost is 0
        costs.forEachRow((y, right, down, downRight, upRight) -> {
            int p = y * w;
            keys(right, w - 1, p, bySlot, count);
            bySlot[p + w - 1] = -1; // no right edge in the last column
            if (down == null) {
                for (int blk = 1; blk < 4; blk++) {
                    java.util.Arrays.fill(bySlot, blk * n + p, blk * n + p + w, -1L); // no edges below the last row
                }
                return;
            }
            keys(down, w, n + p, bySlot, count);
            keys(downRight, w - 1, 2 * n + p, bySlot, count);
            bySlot[2 * n + p + w - 1] = -1;
            keys(upRight, w - 1, 3 * n + p, bySlot, count);
            bySlot[3 * n + p + w - 1] = -1;
        });
        int[] bucketOfBin = scratch.bucketOfBin(BINS);
        int[] size = scratch.size(BINS + 1);
        int b = 1;
        int acc = 0;
        size[0] = count[0];
        for (int i = 1; i < BINS; i++) {
            if (acc >= target && count[i] > 0) {
                b++;
                acc = 0;
            }
            bucketOfBin[i] = b;
            acc += count[i];
            size[b] += count[i];
        }
        int buckets = b + 1;
        int[] start = new int[buckets + 1];
        int largest = 0;
        for (int i = 0; i < buckets; i++) {
            start[i + 1] = start[i] + size[i];
            if (i > 0) {
                largest = Math.max(largest, size[i]);
            }
        }
        if (start[buckets] != edgeCount) {
            throw new IllegalStateException("edge count mismatch " + start[buckets] + " != " + edgeCount);
        }
        if (inPlace == null && (!scratch.kept() || chunks != null)) {
            // too large to keep for the next call: chunks of whole buckets, room kept for the union-find and labels
            BucketChunks grouped = BucketChunks.of(bySlot, 4 * n, start, buckets, bucketOfBin, 12L * n, chunks);
            if (grouped != null) {
                return new CostBuckets(null, grouped, start, buckets, largest, count[BINS] > 0, true);
            }
            inPlace = true;
        }
        int[] pos = java.util.Arrays.copyOf(start, buckets);
        // room for the second array and what the merge allocates next (union-find and labels, 12 bytes a pixel): a
        // G1 heap also needs the array's regions contiguous, so a near miss must go in place
        long[] order = inPlace == null ? scratch.grouped(edgeCount, fits(8L * edgeCount + 12L * n))
                : inPlace ? null : scratch.grouped(edgeCount, true);
        if (order != null) {
            // a second array: the scatter keeps each bucket in slot order (the filter then walks the union-find
            // almost sequentially)
            for (int s = 0, m = 4 * n; s < m; s++) {
                long e = bySlot[s];
                if (e >= 0) {
                    order[pos[bucketOfBin[binOf(e)]]++] = e;
                }
            }
        }
        boolean slotOrdered = order != null;
        if (order == null) {
            // not enough memory for a second array (e.g. 4000x3000 in a 1 GiB heap): in place
            order = permuteInPlace(bySlot, 4 * n, edgeCount, start, pos, bucketOfBin);
        }
        return new CostBuckets(order, null, start, buckets, largest, count[BINS] > 0, slotOrdered);
    }

    /**
     * Drops the unused slots (-1) and moves every key into its bucket by following permutation cycles (American
     * flag sort's step); a bucket's keys are then in no particular order, which the in-bucket sort does not need.
     */
    private static long[] permuteInPlace(long[] a, int slots, int edgeCount, int[] start, int[] next,
            int[] bucketOfBin) {
        int w = 0;
        for (int s = 0; s < slots; s++) {
            long e = a[s];
            if (e >= 0) {
                a[w++] = e;
            }
        }
        if (w != edgeCount) {
            throw new IllegalStateException("edge count mismatch " + w + " != " + edgeCount);
        }
        for (int b = 0; b < next.length; b++) {
            int end = start[b + 1];
            while (next[b] < end) {
                long v = a[next[b]];
                int t = bucketOfBin[binOf(v)];
                while (t != b) {
                    long displaced = a[next[t]];
                    a[next[t]++] = v;
                    v = displaced;
                    t = bucketOfBin[binOf(v)];
                }
                a[next[b]++] = v;
            }
        }
        // the array is longer than the edges (unused slots): callers read only [0, edgeCount)
        return a;
    }

    /** Whether {@code bytes} more fit in the heap, with headroom for the rest of the segmentation. */
    static boolean fits(long bytes) {
        return heapRoom() >= bytes + bytes / 2;
    }

    /** Bytes the heap can still give, less 64 MiB of headroom (garbage counts as used). */
    static long heapRoom() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return rt.maxMemory() - used - (64L << 20);
    }

    private static void keys(double[] costs, int len, int firstSlot, long[] bySlot, int[] count) {
        for (int x = 0; x < len; x++) {
            double c = costs[x];
            long e = EdgeKey.of(c, firstSlot + x);
            bySlot[firstSlot + x] = e;
            int bin = binOf(e);
            count[bin]++;
            if (bin == 0 && c != 0.0) {
                count[BINS]++;
            }
        }
    }

    /** The bin of an edge key: {@link #bin} of its truncated cost, so equal keys share a bin. */
    static int binOf(long edgeKey) {
        long key = EdgeKey.key(edgeKey); // the double's bits >>> 25: exponent above 27 mantissa bits
        if (key == 0) {
            return 0;
        }
        int e = (int) (key >>> 27);
        if (e < EXP_LO) {
            return 1;
        }
        if (e > EXP_HI) {
            return BINS - 1;
        }
        return 2 + ((e - EXP_LO) << MANTISSA_BITS) + (int) ((key >>> (27 - MANTISSA_BITS)) & ((1 << MANTISSA_BITS) - 1));
    }
}
