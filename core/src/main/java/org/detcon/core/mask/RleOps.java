package org.detcon.core.mask;

import java.util.Arrays;
import java.util.List;

/** Area, bounding box and merge of RLEs, operating on runs (C {@code rleArea}, {@code rleToBbox}, {@code rleMerge}). */
public final class RleOps {

    private RleOps() {
    }

    /**
     * {@code rleArea}: the sum of the odd-indexed runs, in uint32 arithmetic (wraps modulo 2^32 like C), returned as
     * an unsigned value.
     */
    public static long area(Rle rle) {
        int[] cnts = rle.rawCounts();
        int a = 0;
        for (int j = 1; j < cnts.length; j += 2) {
            a += cnts[j];
        }
        return Integer.toUnsignedLong(a);
    }

    /** {@code rleArea} of each RLE. */
    public static long[] area(List<Rle> rles) {
        long[] out = new long[rles.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = area(rles.get(i));
        }
        return out;
    }

    /**
     * {@code rleToBbox}: the tight box {@code [x, y, w, h]} of the foreground, in uint32 arithmetic exactly as C;
     * {@code [0, 0, 0, 0]} when there are fewer than two runs. As in C, a foreground run that spans more than one
     * column makes the box cover the full height.
     */
    public static double[] toBbox(Rle rle) {
        double[] bb = new double[4];
        toBbox(rle, bb, 0);
        return bb;
    }

    /** {@code rleToBbox} of each RLE, as {@code [n][4]}. */
    public static double[][] toBbox(List<Rle> rles) {
        double[][] out = new double[rles.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = toBbox(rles.get(i));
        }
        return out;
    }

    /** Writes {@code rleToBbox(rle)} into {@code bb[off..off+3]}. */
    static void toBbox(Rle rle, double[] bb, int off) {
        int[] cnts = rle.rawCounts();
        int h = rle.height();
        int w = rle.width();
        int m = (cnts.length / 2) * 2;
        if (m == 0) {
            bb[off] = bb[off + 1] = bb[off + 2] = bb[off + 3] = 0;
            return;
        }
        // all uint32 arithmetic
        int xs = w;
        int ys = h;
        int xe = 0;
        int ye = 0;
        int cc = 0;
        int xp = 0;
        for (int j = 0; j < m; j++) {
            cc += cnts[j];
            int t = cc - (j & 1);
            int y = Integer.remainderUnsigned(t, h);
            int x = Integer.divideUnsigned(t - y, h);
            if ((j & 1) == 0) {
                xp = x;
            } else if (Integer.compareUnsigned(xp, x) < 0) {
                ys = 0;
                ye = h - 1;
            }
            xs = umin(xs, x);
            xe = umax(xe, x);
            ys = umin(ys, y);
            ye = umax(ye, y);
        }
        bb[off] = Integer.toUnsignedLong(xs);
        bb[off + 2] = Integer.toUnsignedLong(xe - xs + 1);
        bb[off + 1] = Integer.toUnsignedLong(ys);
        bb[off + 3] = Integer.toUnsignedLong(ye - ys + 1);
    }

    /** Union of the RLEs (C {@code rleMerge(..., intersect=0)}). */
    public static Rle union(List<Rle> rles) {
        return merge(rles, false);
    }

    /** Intersection of the RLEs (C {@code rleMerge(..., intersect=1)}). */
    public static Rle intersection(List<Rle> rles) {
        return merge(rles, true);
    }

    /**
     * {@code rleMerge}, exactly as C: no input gives a {@code 0x0} RLE without runs; one input is returned as is;
     * if any input's size differs from the first one's, the result is a {@code 0x0} RLE without runs.
     */
    public static Rle merge(List<Rle> rles, boolean intersect) {
        int n = rles.size();
        if (n == 0) {
            return Rle.wrap(0, 0, new int[0]);
        }
        Rle first = rles.get(0);
        if (n == 1) {
            return first;
        }
        int h = first.height();
        int w = first.width();
        int[] acc = first.rawCounts();
        int accLen = acc.length;
        int[] buf = null;
        for (int i = 1; i < n; i++) {
            Rle bR = rles.get(i);
            if (bR.height() != h || bR.width() != w) {
                return Rle.wrap(0, 0, new int[0]);
            }
            int[] bc = bR.rawCounts();
            int[] out = new int[accLen + bc.length + 1];
            int m = mergeRuns(acc, accLen, bc, bc.length, intersect, out);
            acc = out;
            accLen = m;
            buf = out;
        }
        return Rle.wrap(h, w, buf.length == accLen ? buf : Arrays.copyOf(buf, accLen));
    }

    /** One step of C {@code rleMerge}'s loop; returns the number of runs written to {@code out}. */
    private static int mergeRuns(int[] ac, int am, int[] bc, int bm, boolean intersect, int[] out) {
        int ca = ac[0];
        int cb = bc[0];
        boolean v = false;
        boolean va = false;
        boolean vb = false;
        int m = 0;
        int a = 1;
        int b = 1;
        int cc = 0;
        int ct = 1;
        while (ct != 0) {
            int c = umin(ca, cb);
            if (c == 0) {
                checkNotStuck(ca, a, am, cb, b, bm);
            }
            cc += c;
            ct = 0;
            ca -= c;
            if (ca == 0 && a < am) {
                ca = ac[a++];
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && b < bm) {
                cb = bc[b++];
                vb = !vb;
            }
            ct += cb;
            boolean vp = v;
            v = intersect ? (va && vb) : (va || vb);
            if (v != vp || ct == 0) {
                out[m++] = cc;
                cc = 0;
            }
        }
        return m;
    }

    /**
     * The C loops (merge, IoU) never terminate when one RLE's counts run out before the other's (counts of different
     * sums); this detects that state and throws instead.
     */
    static void checkNotStuck(int ca, int a, int am, int cb, int b, int bm) {
        if ((ca == 0 && a >= am && cb != 0) || (cb == 0 && b >= bm && ca != 0)) {
            throw new IllegalArgumentException("RLE counts of different sums cannot be combined");
        }
    }

    static int umin(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0 ? a : b;
    }

    static int umax(int a, int b) {
        return Integer.compareUnsigned(a, b) > 0 ? a : b;
    }
}
