package org.detcon.eval.coco.eval;

import java.util.Arrays;

/**
 * pycocotools' {@code summarize()} for detection ({@code _summarizeDets}): the 12 standard numbers, plus per-category
 * AP@[.5:.95] computed the way it is usually read off {@code eval['precision'][:, :, k, 0, -1]} (mean over the
 * entries {@code > -1}).
 *
 * <p>Means are numpy's: the selected entries in C order, pairwise-summed ({@link NumpyCompat#pairwiseSum}), divided by
 * their count; {@code -1} when no entry is {@code > -1}.
 */
public final class CocoSummary {

    /** One line of the summary: what {@code _summarize(ap, iouThr, areaRng, maxDets)} was called with. */
    public record Line(boolean ap, Double iouThr, String areaRng, int maxDets) {
    }

    private final EvalResult result;
    private final Line[] lines;
    private final double[] stats;
    private final double[] perCategoryAp;

    private CocoSummary(EvalResult result) {
        this.result = result;
        int[] md = result.params().maxDets();
        if (md.length < 3) {
            throw new IllegalArgumentException("summarize needs at least 3 maxDets (pycocotools indexes maxDets[2])");
        }
        lines = new Line[] {
            new Line(true, null, "all", 100),
            new Line(true, .5, "all", md[2]),
            new Line(true, .75, "all", md[2]),
            new Line(true, null, "small", md[2]),
            new Line(true, null, "medium", md[2]),
            new Line(true, null, "large", md[2]),
            new Line(false, null, "all", md[0]),
            new Line(false, null, "all", md[1]),
            new Line(false, null, "all", md[2]),
            new Line(false, null, "small", md[2]),
            new Line(false, null, "medium", md[2]),
            new Line(false, null, "large", md[2]),
        };
        stats = new double[lines.length];
        for (int i = 0; i < lines.length; i++) {
            stats[i] = summarizeOne(lines[i]);
        }
        perCategoryAp = computePerCategoryAp();
    }

    /** Summarizes an accumulated evaluation. */
    public static CocoSummary of(EvalResult result) {
        return new CocoSummary(result);
    }

    public EvalResult result() {
        return result;
    }

    /** The 12 lines' parameters, in order. */
    public Line[] lines() {
        return lines.clone();
    }

    /** {@code COCOeval.stats}: the 12 numbers. */
    public double[] stats() {
        return stats.clone();
    }

    /**
     * Per evaluated category ({@link EvalResult#catIds()} order): the mean of
     * {@code precision[:, :, k, 0, -1]} over entries {@code > -1}, or {@code -1} when there are none (a category
     * without ground truth).
     */
    public double[] perCategoryAp() {
        return perCategoryAp.clone();
    }

    private double summarizeOne(Line line) {
        EvalParams p = result.params();
        int[] c = result.counts();
        int T = c[0];
        int R = c[1];
        int K = c[2];
        int A = c[3];
        int M = c[4];
        String[] lbl = p.areaRngLbl();
        int[] md = p.maxDets();
        double[] thr = p.iouThrs();
        int[] aind = Arrays.stream(indices(lbl.length)).filter(i -> lbl[i].equals(line.areaRng())).toArray();
        int[] mind = Arrays.stream(indices(md.length)).filter(i -> md[i] == line.maxDets()).toArray();
        int[] tind = line.iouThr() == null ? indices(T)
                : Arrays.stream(indices(T)).filter(i -> line.iouThr() == thr[i]).toArray();
        // numpy pairs the two advanced indices aind/mind (broadcasting a length-1 list)
        int nb;
        if (aind.length == mind.length) {
            nb = aind.length;
        } else if (aind.length == 1) {
            nb = mind.length;
        } else if (mind.length == 1) {
            nb = aind.length;
        } else {
            throw new IllegalArgumentException("shape mismatch: area and maxDets selections cannot be broadcast");
        }
        double[] buf;
        int n = 0;
        if (line.ap()) {
            double[] prec = result.precisionArray();
            buf = new double[tind.length * R * K * nb];
            for (int t : tind) {
                for (int r = 0; r < R; r++) {
                    for (int k = 0; k < K; k++) {
                        for (int b = 0; b < nb; b++) {
                            int a = aind[aind.length == 1 ? 0 : b];
                            int m = mind[mind.length == 1 ? 0 : b];
                            double v = prec[(((t * R + r) * K + k) * A + a) * M + m];
                            if (v > -1) {
                                buf[n++] = v;
                            }
                        }
                    }
                }
            }
        } else {
            double[] rec = result.recallArray();
            buf = new double[tind.length * K * nb];
            for (int t : tind) {
                for (int k = 0; k < K; k++) {
                    for (int b = 0; b < nb; b++) {
                        int a = aind[aind.length == 1 ? 0 : b];
                        int m = mind[mind.length == 1 ? 0 : b];
                        double v = rec[((t * K + k) * A + a) * M + m];
                        if (v > -1) {
                            buf[n++] = v;
                        }
                    }
                }
            }
        }
        return n == 0 ? -1 : NumpyCompat.mean(buf, n);
    }

    private double[] computePerCategoryAp() {
        int[] c = result.counts();
        int T = c[0];
        int R = c[1];
        int K = c[2];
        int A = c[3];
        int M = c[4];
        double[] prec = result.precisionArray();
        double[] out = new double[K];
        double[] buf = new double[T * R];
        for (int k = 0; k < K; k++) {
            int n = 0;
            if (A > 0) {
                for (int t = 0; t < T; t++) {
                    for (int r = 0; r < R; r++) {
                        double v = prec[(((t * R + r) * K + k) * A) * M + (M - 1)];
                        if (v > -1) {
                            buf[n++] = v;
                        }
                    }
                }
            }
            out[k] = n == 0 ? -1 : NumpyCompat.mean(buf, n);
        }
        return out;
    }

    private static int[] indices(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
