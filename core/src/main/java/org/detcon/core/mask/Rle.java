package org.detcon.core.mask;

import java.util.Arrays;

/**
 * An immutable run-length encoded binary mask in the pycocotools layout: {@code height x width} pixels in
 * column-major (Fortran) order, runs alternating zeros/ones starting with zeros. Counts are C {@code uint32}: each
 * {@code int} here is interpreted as unsigned ({@link Integer#toUnsignedLong(int)}).
 *
 * <p>Like pycocotools, the constructor does not require the counts to sum to {@code height * width} (the C API does
 * not check it either, and operations such as area and IoU are defined on any counts); {@link #isConsistent()} tells
 * whether they do, and {@link RleCodec#decode} requires it.
 */
public final class Rle {

    private final int height;
    private final int width;
    private final int[] counts;

    /**
     * @param height image height (rows), >= 0
     * @param width image width (columns), >= 0
     * @param counts run lengths (uint32 each), copied
     */
    public Rle(int height, int width, int[] counts) {
        this(height, width, counts.clone(), true);
    }

    /** Takes ownership of {@code counts} without copying (package-internal fast path). */
    Rle(int height, int width, int[] counts, boolean owned) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("RLE size must be non-negative, got " + height + "x" + width);
        }
        if (counts == null) {
            throw new NullPointerException("counts");
        }
        this.height = height;
        this.width = width;
        this.counts = counts;
    }

    /** Wraps counts without copying; the caller must not modify the array afterwards. */
    static Rle wrap(int height, int width, int[] counts) {
        return new Rle(height, width, counts, true);
    }

    /** An all-zero mask ({@code counts = [h*w]}), as {@code rleEncode} produces for an empty mask. */
    public static Rle empty(int height, int width) {
        return wrap(height, width, new int[] {height * width});
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of runs (C field {@code m}). */
    public int runCount() {
        return counts.length;
    }

    /** Run {@code i} as a raw uint32 bit pattern. */
    public int count(int i) {
        return counts[i];
    }

    /** Run {@code i} as an unsigned value. */
    public long countUnsigned(int i) {
        return Integer.toUnsignedLong(counts[i]);
    }

    /** A copy of the counts (uint32 bit patterns). */
    public int[] counts() {
        return counts.clone();
    }

    /** The counts without copying; must not be modified. */
    int[] rawCounts() {
        return counts;
    }

    /** Number of pixels, {@code height * width}. */
    public long pixelCount() {
        return (long) height * width;
    }

    /** Whether the (unsigned) counts sum to exactly {@code height * width}. */
    public boolean isConsistent() {
        long sum = 0;
        for (int c : counts) {
            sum += Integer.toUnsignedLong(c);
        }
        return sum == pixelCount();
    }

    /** Foreground area (C {@code rleArea}, uint32 wrap-around), as an unsigned value. */
    public long area() {
        return RleOps.area(this);
    }

    /** The compressed COCO string of these counts (C {@code rleToString}). */
    public String toCocoString() {
        return RleString.encode(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Rle[").append(height).append('x').append(width).append(", counts=[");
        int n = Math.min(counts.length, 16);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Integer.toUnsignedString(counts[i]));
        }
        if (counts.length > n) {
            sb.append(", ... (").append(counts.length).append(" runs)");
        }
        return sb.append("]]").toString();
    }
}
