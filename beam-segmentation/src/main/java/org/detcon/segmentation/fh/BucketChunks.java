package org.detcon.segmentation.fh;

/**
 * The edge keys grouped into their {@link CostBuckets buckets} for images too large for the per-thread scratch:
 * in chunks of whole buckets of at most {@link #CHUNK_EDGES} keys (64 MiB; more only when one bucket is larger)
 * instead of one array of 8 bytes per edge, each bucket in slot order as in that one array.
 *
 * <p>Why: at 4000×3000 in {@code -Xmx1g} the single grouped array is 366 MiB next to the 366 MiB of keys by slot. As
 * one humongous G1 allocation it needs that many contiguous free regions and failed with {@code OutOfMemoryError}
 * although the heap had room in total; refused up front, the keys were grouped in place instead, which loses the
 * slot order inside a bucket, so the filter's union-find walk becomes random and out of cache (+15 % for the call).
 * Chunks need only short runs of free regions (64 with G1's 1 MiB regions at this heap size), and when the heap
 * cannot hold all of them beside the keys by slot, as many chunk arrays as fit are filled per pass over the keys by
 * slot, in bucket order as the merge consumes them;
 * each pass also compacts the keys of later chunks, still in slot order, to the front of the slot array, so the next
 * pass reads only those. Chunks already merged are released (or, between passes, refilled), so the merge's later
 * allocations (rejected edges, labels) find room.
 */
final class BucketChunks {

    /** Keys per chunk: 64 MiB arrays (up to ~2 MP an image's keys fit one chunk, as in one grouped array). */
    static final int CHUNK_EDGES = 8 << 20;

    /**
     * A chunk layout forced on an image whatever its size (tests): chunks of {@code edges} keys (more only when one
     * bucket is larger), at most {@code arrays} chunk arrays at a time (0: as many as the heap holds).
     */
    record Layout(int edges, int arrays) {
        Layout {
            if (edges < 1 || arrays < 0) {
                throw new IllegalArgumentException("chunk layout needs edges >= 1 and arrays >= 0, got " + edges
                        + ", " + arrays);
            }
        }
    }

    private final int[] start;
    private final int[] bucketOfBin;
    /** Chunk c holds buckets [chunkStart[c], chunkStart[c+1]). */
    private final int[] chunkStart;
    private final int[] chunkOf;
    private final int chunks;
    /** The array of each chunk while filled and not yet released. */
    private final long[][] chunk;
    /** Arrays of {@code capacity} keys reused from pass to pass (null when one pass fills every chunk). */
    private long[][] pool;
    private final int capacity;
    /** Keys not yet in a chunk, in slot order, in {@code bySlot[0, remaining)} (null after the last pass). */
    private long[] bySlot;
    private int remaining;
    /** Chunks below {@code endFilled} have been filled; those below {@code released} are released. */
    private int endFilled;
    private int released;

    private BucketChunks(long[] bySlot, int slots, int[] start, int buckets, int[] bucketOfBin, int[] chunkStart,
            int chunks, int capacity, int arrays) {
        this.bySlot = bySlot;
        this.remaining = slots;
        this.start = start;
        this.bucketOfBin = bucketOfBin;
        this.chunkStart = chunkStart;
        this.chunks = chunks;
        this.capacity = capacity;
        this.chunk = new long[chunks][];
        this.chunkOf = new int[buckets];
        for (int c = 0; c < chunks; c++) {
            for (int b = chunkStart[c]; b < chunkStart[c + 1]; b++) {
                chunkOf[b] = c;
            }
        }
        if (arrays < chunks) {
            pool = new long[arrays][];
        }
        fill(0);
    }

    /**
     * Groups the keys {@code bySlot[0, slots)} (unused slots -1) into chunks, filling the first ones now; null when
     * not even one chunk array fits beside {@code reserve} bytes for what the merge allocates next (the caller then
     * groups in place). {@code forced}: a layout to use instead of {@link #CHUNK_EDGES} and the heap's room (null
     * for those).
     */
    static BucketChunks of(long[] bySlot, int slots, int[] start, int buckets, int[] bucketOfBin, long reserve,
            Layout forced) {
        int chunkEdges = forced != null ? forced.edges() : CHUNK_EDGES;
        int capacity = chunkEdges;
        for (int b = 0; b < buckets; b++) {
            capacity = Math.max(capacity, start[b + 1] - start[b]);
        }
        int[] chunkStart = new int[buckets + 1];
        int chunks = 0;
        chunkStart[0] = 0;
        for (int b = 1; b < buckets; b++) {
            if (start[b + 1] - start[chunkStart[chunks]] > capacity) {
                chunkStart[++chunks] = b;
            }
        }
        chunks++;
        chunkStart[chunks] = buckets;
        long total = 8L * start[buckets];
        long room = CostBuckets.heapRoom() - reserve;
        int arrays;
        if (forced != null && forced.arrays() > 0) {
            arrays = Math.min(chunks, forced.arrays());
        } else if (total + total / 2 <= room) {
            arrays = chunks; // one pass, each chunk its exact size
        } else {
            // several passes: each costs a read of the keys still by slot, far less than a random in-place grouping
            // (4000x3000: 6 passes of one array took no longer than 2 passes of 5 arrays)
            long per = 8L * capacity;
            arrays = (int) Math.min(chunks, room / (per + per / 2));
        }
        if (arrays < 1) {
            return null;
        }
        return new BucketChunks(bySlot, slots, start, buckets, bucketOfBin, java.util.Arrays.copyOf(chunkStart,
                chunks + 1), chunks, capacity, arrays);
    }

    /** Number of chunks (for tests). */
    int chunks() {
        return chunks;
    }

    /**
     * The array holding bucket b, from {@link #offset}; buckets must be asked for in non-decreasing order: asking
     * for a later chunk releases the earlier ones, or refills the arrays with the next pass.
     */
    long[] keys(int b) {
        int c = chunkOf[b];
        if (c >= endFilled) {
            fill(c);
        }
        while (released < c) {
            chunk[released++] = null;
        }
        return chunk[c];
    }

    /** Index in {@link #keys}{@code (b)} of bucket b's first key. */
    int offset(int b) {
        return start[chunkStart[chunkOf[b]]];
    }

    /** One pass over the remaining keys by slot: chunks [first, first + arrays) filled, later keys compacted. */
    private void fill(int first) {
        int end = pool == null ? chunks : Math.min(chunks, first + pool.length);
        for (int c = released; c < first; c++) {
            chunk[c] = null;
        }
        released = first;
        for (int c = first; c < end; c++) {
            if (pool == null) {
                chunk[c] = new long[start[chunkStart[c + 1]] - start[chunkStart[c]]];
            } else {
                long[] a = pool[c - first];
                chunk[c] = a != null ? a : (pool[c - first] = new long[capacity]);
            }
        }
        if (end == chunks) {
            pool = null; // last pass: the arrays go as their chunks are released
        }
        int base = chunkStart[first];
        int n = chunkStart[end] - base;
        long[][] dest = new long[n][];
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            int c = chunkOf[base + i];
            dest[i] = chunk[c];
            pos[i] = start[base + i] - start[chunkStart[c]];
        }
        long[] src = bySlot;
        int[] bob = bucketOfBin;
        int w = 0;
        if (end - first == 1 && end == chunks) {
            // every remaining key into one array (the usual case up to ~2 MP): the scatter of one grouped array
            long[] d = dest[0];
            for (int s = 0, m = remaining; s < m; s++) {
                long e = src[s];
                if (e >= 0) {
                    d[pos[bob[CostBuckets.binOf(e)] - base]++] = e;
                }
            }
            remaining = 0;
            endFilled = end;
            bySlot = null;
            return;
        }
        for (int s = 0, m = remaining; s < m; s++) {
            long e = src[s];
            if (e >= 0) {
                int i = bob[CostBuckets.binOf(e)] - base;
                if (i < n) {
                    dest[i][pos[i]++] = e;
                } else {
                    src[w++] = e; // w <= s: compacted in slot order for the next pass
                }
            }
        }
        remaining = w;
        endFilled = end;
        if (end == chunks) {
            bySlot = null;
        }
    }
}
