package org.detcon.core.mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Polygon to RLE, an exact port of C {@code rleFrPoly} as driven by {@code pycocotools.mask.frPyObjects}: the
 * coordinates are doubles ({@code np.array(p, dtype=np.double)}), the vertex count is {@code len(p) / 2} rounded
 * down (an odd trailing coordinate is ignored), and the polygon is closed implicitly.
 *
 * <p>The algorithm, as in C: vertices are upsampled by 5 and rounded with {@code (int)(5*x + .5)} (C truncation
 * toward zero, not floor); every edge is walked densely along its major axis with {@code (int)(start + s*t + .5)};
 * wherever the upsampled x changes, the crossing is mapped back to pixel column {@code ((x' + .5)/5 - .5)} (kept
 * only when it is an integer in {@code [0, w-1]}) and row {@code ceil((y' + .5)/5 - .5)} clamped to {@code [0, h]};
 * the sorted crossing positions {@code x*h + y} become run boundaries (pairs of equal positions cancel). Double to
 * int conversions of NaN or out-of-range values give {@link Integer#MIN_VALUE} like the x86 instruction C compiles
 * to ({@code cvttsd2si}), not Java's saturating cast.
 */
public final class PolygonRasterizer {

    private static final double SCALE = 5;

    private PolygonRasterizer() {
    }

    /**
     * {@code rleFrPoly(xy, len(xy)/2, h, w)}.
     *
     * @param xy {@code [x0, y0, x1, y1, ...]} in pixel coordinates
     */
    public static Rle rasterize(double[] xy, int height, int width) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("mask size must be non-negative, got " + height + "x" + width);
        }
        final int k = xy.length / 2;
        final long h = height;
        final long w = width;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = cInt(SCALE * xy[j * 2] + .5);
        }
        for (int j = 0; j < k; j++) {
            y[j] = cInt(SCALE * xy[j * 2 + 1] + .5);
        }
        if (k > 0) {
            x[k] = x[0];
            y[k] = y[0];
        }
        long total = 0;
        for (int j = 0; j < k; j++) {
            total += Integer.toUnsignedLong(
                    RleOps.umax(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("polygon too large to rasterize (" + total + " boundary points)");
        }
        int[] u = new int[(int) total];
        int[] v = new int[(int) total];
        int m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = cInt(ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = cInt(xs + s * t + .5);
                    m++;
                }
            }
        }
        // get points along y-boundary and downsample
        final int np = m;
        final double wMinus1 = w == 0 ? 0x1p64 : (double) (w - 1); // C: siz (unsigned long) w-1
        int[] bx = new int[Math.max(np, 1)];
        int[] by = new int[Math.max(np, 1)];
        m = 0;
        for (int j = 1; j < np; j++) {
            if (u[j] != u[j - 1]) {
                double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
                xd = (xd + .5) / SCALE - .5;
                if (Math.floor(xd) != xd || xd < 0 || xd > wMinus1) {
                    continue;
                }
                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = (yd + .5) / SCALE - .5;
                if (yd < 0) {
                    yd = 0;
                } else if (yd > h) {
                    yd = h;
                }
                yd = Math.ceil(yd);
                bx[m] = cInt(xd);
                by[m] = cInt(yd);
                m++;
            }
        }
        // compute rle encoding given y-boundary points
        int kk = m;
        int[] a = new int[kk + 1];
        for (int j = 0; j < kk; j++) {
            a[j] = bx[j] * height + by[j];
        }
        a[kk++] = (int) (h * w);
        // qsort as uint32: flip the sign bit, sort signed, flip back
        for (int j = 0; j < kk; j++) {
            a[j] ^= Integer.MIN_VALUE;
        }
        Arrays.sort(a, 0, kk);
        int p = 0;
        for (int j = 0; j < kk; j++) {
            int t = a[j] ^ Integer.MIN_VALUE;
            a[j] = t - p;
            p = t;
        }
        int[] b = new int[kk];
        int j = 0;
        m = 0;
        b[m++] = a[j++];
        while (j < kk) {
            if (a[j] != 0) {
                b[m++] = a[j++];
            } else {
                j++;
                if (j < kk) {
                    b[m - 1] += a[j++];
                }
            }
        }
        return Rle.wrap(height, width, m == b.length ? b : Arrays.copyOf(b, m));
    }

    /**
     * {@code frPoly(polygons, h, w)}: one RLE per polygon (not merged; see {@link RleOps#union} for what
     * {@code annToRLE} does with them).
     */
    public static List<Rle> rasterizeAll(List<double[]> polygons, int height, int width) {
        List<Rle> out = new ArrayList<>(polygons.size());
        for (double[] p : polygons) {
            out.add(rasterize(p, height, width));
        }
        return out;
    }

    /**
     * A C {@code (int)} conversion of a double as compiled for x86-64 ({@code cvttsd2si}): truncation toward zero,
     * and the "integer indefinite" value {@link Integer#MIN_VALUE} for NaN and out-of-range inputs.
     */
    static int cInt(double d) {
        if (d >= -2147483648.0 && d < 2147483648.0) {
            return (int) d;
        }
        return Integer.MIN_VALUE;
    }
}
