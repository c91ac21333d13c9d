package org.detcon.segmentation.fh;

import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * The large arrays of one segmentation that the next one on the same thread can reuse instead of allocating and
 * zeroing them again: the edge keys by slot, the keys grouped into buckets, the smoothed image
 * and the bin histogram tables. Worth it for small images, where allocation and zeroing are a visible part of the
 * time; kept only for images up to {@link #MAX_PIXELS} (64 bytes a pixel, 88 with the smoothed RGB image: at most
 * 44 MiB per thread) and held softly, so the collector can take them back under memory pressure. Not shared between
 * threads.
 */
final class FhScratch {

    /** Largest image (pixels) whose arrays are kept for the next call. */
    static final int MAX_PIXELS = 1 << 19;

    private static final ThreadLocal<SoftReference<FhScratch>> LOCAL = new ThreadLocal<>();

    private final boolean keep;
    private long[] keys;
    private long[] grouped;
    private int[] count;
    private int[] bucketOfBin;
    private int[] size;
    private double[] smoothed;

    private FhScratch(boolean keep) {
        this.keep = keep;
    }

    /** This thread's scratch for an image of n pixels (a throw-away one above {@link #MAX_PIXELS}). */
    static FhScratch forPixels(int n) {
        if (n > MAX_PIXELS) {
            return new FhScratch(false);
        }
        SoftReference<FhScratch> ref = LOCAL.get();
        FhScratch s = ref == null ? null : ref.get();
        if (s == null) {
            s = new FhScratch(true);
            LOCAL.set(new SoftReference<>(s));
        }
        return s;
    }

    /** An array of at least {@code len} longs for the edge keys by slot (contents undefined). */
    long[] keys(int len) {
        long[] a = keys != null && keys.length >= len ? keys : new long[len];
        if (keep) {
            keys = a;
        }
        return a;
    }

    /**
     * An array of at least {@code len} longs for the grouped keys (contents undefined), or null when none is kept
     * and {@code allocate} is false.
     */
    long[] grouped(int len, boolean allocate) {
        if (grouped != null && grouped.length >= len) {
            return grouped;
        }
        if (!allocate) {
            return null;
        }
        long[] a = new long[len];
        if (keep) {
            grouped = a;
        }
        return a;
    }

    /** Whether this scratch is kept for the thread's next call (the image is small enough). */
    boolean kept() {
        return keep;
    }

    /** An array of at least {@code len} doubles for the smoothed image (contents undefined). */
    double[] smoothed(int len) {
        double[] a = smoothed != null && smoothed.length >= len ? smoothed : new double[len];
        if (keep) {
            smoothed = a;
        }
        return a;
    }

    /** A zeroed int array of {@code len} for the bin counts. */
    int[] count(int len) {
        if (count == null || count.length != len) {
            count = new int[len];
        } else {
            Arrays.fill(count, 0);
        }
        return count;
    }

    /** An int array of {@code len} for the bucket of each bin (contents undefined). */
    int[] bucketOfBin(int len) {
        if (bucketOfBin == null || bucketOfBin.length != len) {
            bucketOfBin = new int[len];
        }
        return bucketOfBin;
    }

    /** A zeroed int array of {@code len} for the bucket sizes. */
    int[] size(int len) {
        if (size == null || size.length != len) {
            size = new int[len];
        } else {
            Arrays.fill(size, 0);
        }
        return size;
    }
}
