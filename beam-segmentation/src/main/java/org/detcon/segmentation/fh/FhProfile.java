package org.detcon.segmentation.fh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Optional per-phase timing sink for {@link Felzenszwalb}. Accumulates over calls; not thread-safe (use one per
 * thread). By default phases are timed by wall clock; {@link #cpuTime()} makes a profile that uses the calling
 * thread's CPU time instead, which is steadier on a busy machine. When several scales share one image's blur,
 * bucketing and sort, those phases are counted once and {@link #calls()} counts the scales.
 */
public final class FhProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final boolean cpu;

    public FhProfile() {
        this(false);
    }

    private FhProfile(boolean cpu) {
        this.cpu = cpu;
    }

    /** A profile timing phases by the current thread's CPU time (falls back to wall time if unsupported). */
    public static FhProfile cpuTime() {
        return new FhProfile(THREADS.isCurrentThreadCpuTimeSupported());
    }

    long now() {
        return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    long edgesNanos;
    long filterNanos;
    long sortNanos;
    long mergeNanos;
    long labelNanos;
    int calls;
    int bucketCalls;
    int introsortCalls;
    int numpyOrderLookups;
    int tieGroupsProved;
    int bucketsFiltered;
    int bucketsUnfiltered;

    /** The blur, the edge costs and their grouping into cost buckets. */
    public long edgesNanos() { return edgesNanos; }
    /** Dropping, bucket by bucket, the edges already inside one component. */
    public long filterNanos() { return filterNanos; }
    /** Sorting inside the buckets. */
    public long sortNanos() { return sortNanos; }
    /** Both merge passes (and, when needed, numpy's order). */
    public long mergeNanos() { return mergeNanos; }
    public long labelNanos() { return labelNanos; }
    public long totalNanos() { return edgesNanos + filterNanos + sortNanos + mergeNanos + labelNanos; }
    /** Segmentations (one per scale). */
    public int calls() { return calls; }
    /** Segmentations whose edge order came from the bucket sort. */
    public int bucketCalls() { return bucketCalls; }
    /** Segmentations redone in numpy's full introsort order (a main-pass tie group that may matter). */
    public int introsortCalls() { return introsortCalls; }
    /** min_size groups of equal costs that were processed in numpy's order (looked up lazily). */
    public int numpyOrderLookups() { return numpyOrderLookups; }
    /** Groups of equal costs proved order-independent. */
    public int tieGroupsProved() { return tieGroupsProved; }

    /** Buckets whose internal edges were dropped before the sort / left to the main pass to skip. */
    public int bucketsFiltered() { return bucketsFiltered; }
    public int bucketsUnfiltered() { return bucketsUnfiltered; }

    public void reset() {
        edgesNanos = filterNanos = sortNanos = mergeNanos = labelNanos = 0;
        calls = bucketCalls = introsortCalls = numpyOrderLookups = tieGroupsProved = 0;
        bucketsFiltered = bucketsUnfiltered = 0;
    }

    @Override
    public String toString() {
        return String.format("blur+edges %.2f ms, filter %.2f ms, sort %.2f ms, merge %.2f ms, label %.2f ms"
                        + " (calls %d, bucket order %d, full introsort %d, numpy-order lookups %d,"
                        + " tie groups proved %d, buckets filtered %d, unfiltered %d)",
                edgesNanos / 1e6, filterNanos / 1e6, sortNanos / 1e6, mergeNanos / 1e6, labelNanos / 1e6,
                calls, bucketCalls, introsortCalls, numpyOrderLookups, tieGroupsProved, bucketsFiltered,
                bucketsUnfiltered);
    }
}
