package org.detcon.core.mask;

import java.util.List;

/**
 * Intersection over union of masks and of boxes, exactly as pycocotools' {@code rleIou} / {@code bbIou} and
 * {@code pycocotools.mask.iou(dt, gt, iscrowd)}.
 *
 * <p>Results are indexed {@code [d][g]} (detections by ground truths), as the numpy matrix {@code iou(dt, gt,
 * iscrowd)} returns. For a crowd ground truth {@code g} the "union" is the detection's area alone, so the value is
 * {@code |d ∩ g| / |d|}.
 *
 * <p>As in C, mask IoU first computes the IoU of the masks' bounding boxes and only looks at runs where that is
 * positive (zero otherwise); a detection and ground truth of different image sizes whose boxes overlap get
 * {@code -1}.
 */
public final class MaskIou {

    private MaskIou() {
    }

    /**
     * {@code iou(dt, gt, iscrowd)} for RLEs: a {@code [dt.size()][gt.size()]} matrix.
     *
     * @param iscrowd one flag per ground truth, or {@code null} for none crowd
     */
    public static double[][] iou(List<Rle> dt, List<Rle> gt, boolean[] iscrowd) {
        int m = dt.size();
        int n = gt.size();
        checkCrowd(iscrowd, n);
        double[] db = new double[4 * m];
        double[] gb = new double[4 * n];
        Rle[] d = dt.toArray(new Rle[0]);
        Rle[] g = gt.toArray(new Rle[0]);
        for (int i = 0; i < m; i++) {
            RleOps.toBbox(d[i], db, 4 * i);
        }
        for (int j = 0; j < n; j++) {
            RleOps.toBbox(g[j], gb, 4 * j);
        }
        double[][] o = new double[m][n];
        for (int j = 0; j < n; j++) {
            boolean crowd = iscrowd != null && iscrowd[j];
            for (int i = 0; i < m; i++) {
                double bo = bbIou(db, 4 * i, gb, 4 * j, crowd);
                o[i][j] = bo > 0 ? rleIouKnownOverlap(d[i], g[j], crowd) : bo;
            }
        }
        return o;
    }

    /** {@code iou([dt], [gt], [crowd])[0][0]} for two RLEs. */
    public static double iou(Rle dt, Rle gt, boolean crowd) {
        double[] db = RleOps.toBbox(dt);
        double[] gb = RleOps.toBbox(gt);
        double bo = bbIou(db, 0, gb, 0, crowd);
        return bo > 0 ? rleIouKnownOverlap(dt, gt, crowd) : bo;
    }

    /** The run-level part of C {@code rleIou} for one pair (called where the boxes overlap). */
    private static double rleIouKnownOverlap(Rle dt, Rle gt, boolean crowd) {
        if (dt.height() != gt.height() || dt.width() != gt.width()) {
            return -1;
        }
        int[] dc = dt.rawCounts();
        int[] gc = gt.rawCounts();
        int ka = dc.length;
        int kb = gc.length;
        int ca = dc[0];
        int cb = gc[0];
        boolean va = false;
        boolean vb = false;
        int a = 1;
        int b = 1;
        int inter = 0;
        int uni = 0;
        int ct = 1;
        while (ct != 0) {
            int c = RleOps.umin(ca, cb);
            if (c == 0) {
                RleOps.checkNotStuck(ca, a, ka, cb, b, kb);
            }
            if (va || vb) {
                uni += c;
                if (va && vb) {
                    inter += c;
                }
            }
            ct = 0;
            ca -= c;
            if (ca == 0 && a < ka) {
                ca = dc[a++];
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && b < kb) {
                cb = gc[b++];
                vb = !vb;
            }
            ct += cb;
        }
        if (inter == 0) {
            uni = 1;
        } else if (crowd) {
            uni = (int) RleOps.area(dt);
        }
        return (double) Integer.toUnsignedLong(inter) / (double) Integer.toUnsignedLong(uni);
    }

    /**
     * {@code iou(dt, gt, iscrowd)} for boxes {@code [x, y, w, h]}: a {@code [dt.length][gt.length]} matrix.
     *
     * @param iscrowd one flag per ground truth, or {@code null} for none crowd
     */
    public static double[][] bbIou(double[][] dt, double[][] gt, boolean[] iscrowd) {
        int m = dt.length;
        int n = gt.length;
        checkCrowd(iscrowd, n);
        double[][] o = new double[m][n];
        for (int j = 0; j < n; j++) {
            boolean crowd = iscrowd != null && iscrowd[j];
            double[] g = gt[j];
            for (int i = 0; i < m; i++) {
                o[i][j] = bbIou(dt[i], 0, g, 0, crowd);
            }
        }
        return o;
    }

    /** C {@code bbIou} for one pair of boxes {@code [x, y, w, h]}. */
    public static double bbIou(double[] dt, double[] gt, boolean crowd) {
        return bbIou(dt, 0, gt, 0, crowd);
    }

    /** C {@code bbIou} for boxes stored at offsets in flat arrays. */
    public static double bbIou(double[] dt, int d, double[] gt, int g, boolean crowd) {
        double ga = gt[g + 2] * gt[g + 3];
        double da = dt[d + 2] * dt[d + 3];
        double w = fmin(dt[d + 2] + dt[d], gt[g + 2] + gt[g]) - fmax(dt[d], gt[g]);
        if (w <= 0) {
            return 0;
        }
        double h = fmin(dt[d + 3] + dt[d + 1], gt[g + 3] + gt[g + 1]) - fmax(dt[d + 1], gt[g + 1]);
        if (h <= 0) {
            return 0;
        }
        double i = w * h;
        double u = crowd ? da : da + ga - i;
        return i / u;
    }

    /** C {@code fmin}: a NaN argument yields the other one. */
    private static double fmin(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return a < b ? a : b;
    }

    /** C {@code fmax}: a NaN argument yields the other one. */
    private static double fmax(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return a > b ? a : b;
    }

    private static void checkCrowd(boolean[] iscrowd, int n) {
        if (iscrowd != null && iscrowd.length != n) {
            throw new IllegalArgumentException("iscrowd has " + iscrowd.length + " flags for " + n + " ground truths");
        }
    }
}
