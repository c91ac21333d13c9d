package org.detcon.eval.coco.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

import org.detcon.eval.coco.data.EvalDataset;
import org.detcon.eval.coco.data.IouComputer;

/**
 * An exact port of pycocotools' {@code COCOeval.evaluate()} + {@code accumulate()} for {@code bbox} and
 * {@code segm}, on primitive arrays.
 *
 * <p>Semantics kept from {@code cocoeval.py} (and relied on by the golden tests):
 * <ul>
 *   <li>{@code imgIds} → {@code np.unique}; with {@code useCats}, {@code catIds} → {@code np.unique};
 *       {@code maxDets} sorted. Ground truths / detections of other images or categories are not evaluated.</li>
 *   <li>A ground truth is ignored iff {@code iscrowd} (pycocotools overwrites any {@code ignore} field with
 *       {@code iscrowd}) or its {@code area} field lies outside the area range ({@code area < lo || area > hi}).</li>
 *   <li>Per (image, category): detections sorted by score descending with a stable sort
 *       ({@code argsort(-score, kind='mergesort')}), truncated to {@code maxDets[-1]}; IoUs computed once per
 *       (image, category) and reused for every area range; ground truths ordered non-ignored first (stable).</li>
 *   <li>Greedy matching per IoU threshold {@code t}: best IoU starts at {@code min(t, 1-1e-10)}, ties go to the later
 *       ground truth ({@code iou < best → skip}), matched non-crowd ground truths are skipped, the scan stops at the
 *       first ignored ground truth once matched to a regular one; a detection inherits the ignore flag of its match;
 *       unmatched detections whose area lies outside the range are ignored. "Matched" means the stored gt id is
 *       non-zero, exactly as numpy's truthiness of {@code dtMatches}; a gt counts as taken when the stored dt id is
 *       {@code > 0}.</li>
 *   <li>Accumulation per (category, area, maxDet): detections of all images concatenated in image order, each
 *       image's list cut to {@code maxDet}, stable sort by score descending, float cumsums of TP/FP, recall
 *       {@code tp/npig}, precision {@code tp/(fp+tp+np.spacing(1))} made monotone from the right, sampled with
 *       {@code np.searchsorted(rc, recThrs, side='left')} (0 beyond the last detection); {@code -1} when no
 *       (image, category) cell exists or no non-ignored ground truth.</li>
 * </ul>
 *
 * <p>Work is split by category (each category's cells and accumulation are independent), so {@code threads > 1}
 * evaluates categories in parallel with identical results.
 */
public final class CocoEvaluator {

    private static final byte MATCHED = 1;
    private static final byte IGNORED = 2;

    private final EvalDataset data;
    private final IouComputer iouComputer;
    private final EvalParams params;
    private final long[] imgIds;
    private final long[] catIds;
    private final boolean useCats;
    private final double[] iouThrs;
    private final double[] recThrs;
    private final int[] maxDets;
    private final double[][] areaRng;
    private final int T;
    private final int R;
    private final int K;
    private final int A;
    private final int M;

    // grouped annotation indices: group k occupies [gtStart[k], gtStart[k+1]) of gtOrder, sorted by image index
    private int[] gtOrder;
    private int[] gtImg;
    private int[] gtStart;
    private int[] dtOrder;
    private int[] dtImg;
    private int[] dtStart;

    private double[] precision;
    private double[] recall;
    private double[] scores;

    private CocoEvaluator(EvalDataset data, EvalParams p, IouComputer iouComputer) {
        this.data = data;
        this.iouComputer = iouComputer;
        this.useCats = p.useCats();
        long[] img = p.imgIds() != null ? p.imgIds() : data.imageIds().clone();
        this.imgIds = unique(img);
        long[] cats = p.catIds() != null ? p.catIds() : unique(data.categoryIds().clone());
        this.catIds = useCats ? unique(cats) : cats;
        int[] md = p.maxDets();
        Arrays.sort(md);
        this.params = p.withMaxDets(md).withImgIds(imgIds).withCatIds(catIds);
        this.iouThrs = p.iouThrs();
        this.recThrs = p.recThrs();
        this.maxDets = md;
        this.areaRng = p.areaRng();
        this.T = iouThrs.length;
        this.R = recThrs.length;
        this.K = useCats ? catIds.length : 1;
        this.A = areaRng.length;
        this.M = md.length;
        if (M == 0) {
            throw new IllegalArgumentException("maxDets must not be empty");
        }
        if (!useCats) {
            Set<Long> seen = new HashSet<>();
            for (long c : catIds) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("duplicate category id " + c + " with useCats=false");
                }
            }
        }
    }

    /** Runs evaluate + accumulate single-threaded. */
    public static EvalResult evaluate(EvalDataset data, EvalParams params, IouComputer iou) {
        return evaluate(data, params, iou, 1);
    }

    /**
     * Runs evaluate + accumulate; {@code threads > 1} processes categories in parallel (same numbers).
     */
    public static EvalResult evaluate(EvalDataset data, EvalParams params, IouComputer iou, int threads) {
        CocoEvaluator e = new CocoEvaluator(data, params, iou);
        e.run(Math.max(1, threads));
        long[] resultCats = e.useCats ? e.catIds.clone() : new long[] {-1};
        return new EvalResult(e.params, e.imgIds.clone(), resultCats, e.T, e.R, e.K, e.A, e.M, e.precision,
                e.recall, e.scores);
    }

    private static long[] unique(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[n++] = s[i];
            }
        }
        return Arrays.copyOf(s, n);
    }

    private void run(int threads) {
        group();
        precision = new double[T * R * K * A * M];
        recall = new double[T * K * A * M];
        scores = new double[T * R * K * A * M];
        Arrays.fill(precision, -1);
        Arrays.fill(recall, -1);
        Arrays.fill(scores, -1);
        if (threads == 1 || K == 1) {
            Workspace w = new Workspace();
            for (int k = 0; k < K; k++) {
                evaluateCategory(k, w);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "coco-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(() -> {
                    Workspace w = new Workspace();
                    for (int k = next.getAndIncrement(); k < K; k = next.getAndIncrement()) {
                        evaluateCategory(k, w);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Selects the evaluated annotations and orders them by (group, image, [category when !useCats], file order),
     * as {@code _prepare} + the list comprehensions of {@code computeIoU}/{@code evaluateImg} see them.
     */
    private void group() {
        LongIndex imgIndex = new LongIndex(imgIds);
        LongIndex catIndex = new LongIndex(catIds);
        int[][] g = groupOne(data.gtCount(), data.gtImageId(), data.gtCategoryId(), imgIndex, catIndex);
        gtOrder = g[0];
        gtImg = g[1];
        gtStart = g[2];
        int[][] d = groupOne(data.dtCount(), data.dtImageId(), data.dtCategoryId(), imgIndex, catIndex);
        dtOrder = d[0];
        dtImg = d[1];
        dtStart = d[2];
    }

    private int[][] groupOne(int n, long[] imageId, long[] categoryId, LongIndex imgIndex, LongIndex catIndex) {
        int nCats = catIds.length;
        int nImgs = imgIds.length;
        int[] img = new int[n];
        int[] cat = new int[n];
        int kept = 0;
        int[] sel = new int[n];
        for (int j = 0; j < n; j++) {
            int i = imgIndex.get(imageId[j]);
            int c = catIndex.get(categoryId[j]);
            if (i < 0 || c < 0) {
                continue;
            }
            img[j] = i;
            cat[j] = c;
            sel[kept++] = j;
        }
        sel = Arrays.copyOf(sel, kept);
        // LSD stable counting sorts: (category when !useCats), then image, then group (category when useCats)
        if (!useCats) {
            sel = countingSort(sel, cat, nCats);
        }
        sel = countingSort(sel, img, nImgs);
        int[] start = new int[K + 1];
        if (useCats) {
            sel = countingSort(sel, cat, nCats);
            for (int j : sel) {
                start[cat[j] + 1]++;
            }
            for (int k = 0; k < K; k++) {
                start[k + 1] += start[k];
            }
        } else {
            start[1] = kept;
        }
        int[] imgOfSorted = new int[kept];
        for (int p = 0; p < kept; p++) {
            imgOfSorted[p] = img[sel[p]];
        }
        return new int[][] {sel, imgOfSorted, start};
    }

    private static int[] countingSort(int[] sel, int[] key, int range) {
        int[] cnt = new int[range + 1];
        for (int j : sel) {
            cnt[key[j] + 1]++;
        }
        for (int i = 0; i < range; i++) {
            cnt[i + 1] += cnt[i];
        }
        int[] out = new int[sel.length];
        for (int j : sel) {
            out[cnt[key[j]]++] = j;
        }
        return out;
    }

    /** Scratch buffers for one thread. */
    private final class Workspace {
        int[] gts = new int[16];
        int[] dts = new int[16];
        int[] sortTmp = new int[16];
        double[] ious = new double[256];
        boolean[] gtIgnoreSorted = new boolean[16];
        boolean[] gtCrowdSorted = new boolean[16];
        long[] gtIdSorted = new long[16];
        int[] gtSortedCol = new int[16];
        long[] gtm = new long[16];
        boolean[] dtOutside = new boolean[16];
        long[] dtm = new long[16];
        boolean[] dtIg = new boolean[16];
        double[] rowMax = new double[16];
        // per category, over all its (image, dt) positions in concatenation order
        double[] posScore = new double[64];
        int[] posRank = new int[64];
        byte[] flags = new byte[64];
        int[] perm = new int[64];
        int[] permTmp = new int[64];
        int[] sel = new int[64];
        int[] cumTp = new int[64];
        int[] cumFp = new int[64];
        int[] tpPos = new int[64];
        double[] sufMax = new double[64];
        byte[] sortedFlags = new byte[64];
        long[] npig;

        Workspace() {
            npig = new long[A];
        }

        void ensureCell(int g, int d) {
            if (gts.length < g) {
                int n = Math.max(g, gts.length * 2);
                gts = new int[n];
                gtIgnoreSorted = new boolean[n];
                gtCrowdSorted = new boolean[n];
                gtIdSorted = new long[n];
                gtSortedCol = new int[n];
                gtm = new long[n];
            }
            if (dts.length < d) {
                int n = Math.max(d, dts.length * 2);
                dts = new int[n];
                sortTmp = new int[n];
                dtOutside = new boolean[n];
                dtm = new long[n];
                dtIg = new boolean[n];
                rowMax = new double[n];
            }
            long need = (long) g * d;
            if (ious.length < need) {
                ious = new double[(int) Math.max(need, Math.min(Integer.MAX_VALUE - 8, ious.length * 2L))];
            }
        }

        void ensurePositions(int n) {
            if (posScore.length < n) {
                int c = Math.max(n, posScore.length * 2);
                posScore = Arrays.copyOf(posScore, c);
                posRank = Arrays.copyOf(posRank, c);
                perm = new int[c];
                permTmp = new int[c];
                sel = new int[c];
                cumTp = new int[c];
                cumFp = new int[c];
                tpPos = new int[c];
                sufMax = new double[c];
            }
            if (flags.length < (long) A * T * n) {
                flags = new byte[Math.max(A * T * n, flags.length * 2)];
                sortedFlags = new byte[flags.length];
            }
        }
    }

    private void evaluateCategory(int k, Workspace w) {
        final int gs = gtStart[k];
        final int ge = gtStart[k + 1];
        final int ds = dtStart[k];
        final int de = dtStart[k + 1];
        final int maxDetLast = maxDets[M - 1];
        final double[] dtScore = data.dtScore();
        // count detection positions (each image's list truncated to maxDets[-1]) to size buffers
        int nPos = 0;
        for (int p = ds; p < de;) {
            int i = dtImg[p];
            int q = p;
            while (q < de && dtImg[q] == i) {
                q++;
            }
            nPos += Math.min(q - p, maxDetLast);
            p = q;
        }
        w.ensurePositions(nPos);
        Arrays.fill(w.npig, 0);
        Arrays.fill(w.flags, 0, A * T * nPos, (byte) 0);
        int cells = 0;
        int pos = 0;
        int gp = gs;
        int dp = ds;
        while (gp < ge || dp < de) {
            int i = Math.min(gp < ge ? gtImg[gp] : Integer.MAX_VALUE, dp < de ? dtImg[dp] : Integer.MAX_VALUE);
            int g0 = gp;
            while (gp < ge && gtImg[gp] == i) {
                gp++;
            }
            int d0 = dp;
            while (dp < de && dtImg[dp] == i) {
                dp++;
            }
            int nG = gp - g0;
            int nD0 = dp - d0;
            w.ensureCell(nG, nD0);
            System.arraycopy(gtOrder, g0, w.gts, 0, nG);
            System.arraycopy(dtOrder, d0, w.dts, 0, nD0);
            NumpyCompat.stableSortByScoreDesc(w.dts, 0, nD0, dtScore, w.sortTmp);
            int nD = Math.min(nD0, maxDetLast);
            evaluateCell(w, nG, nD, pos, nPos);
            for (int d = 0; d < nD; d++) {
                w.posScore[pos + d] = dtScore[w.dts[d]];
                w.posRank[pos + d] = d;
            }
            pos += nD;
            cells++;
        }
        if (cells == 0) {
            return; // E is empty for every (a, m): precision/recall stay -1
        }
        accumulateCategory(k, w, nPos);
    }

    /** {@code computeIoU} + {@code evaluateImg} for every area range of one (image, category) cell. */
    private void evaluateCell(Workspace w, int nG, int nD, int pos, int nPos) {
        final double[] gtArea = data.gtArea();
        final boolean[] gtCrowd = data.gtCrowd();
        final long[] gtId = data.gtId();
        final double[] dtArea = data.dtArea();
        final long[] dtId = data.dtId();
        final boolean haveIous = nG > 0 && nD > 0;
        final double[] ious = w.ious;
        final double[] rowMax = w.rowMax;
        if (haveIous) {
            iouComputer.iou(w.dts, nD, w.gts, nG, ious);
            // a detection whose best IoU is below a threshold cannot match at it (NaN counts as "may match")
            for (int d = 0; d < nD; d++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int g = d * nG, e = g + nG; g < e; g++) {
                    double v = ious[g];
                    if (v > mx) {
                        mx = v;
                    } else if (v != v) {
                        mx = Double.POSITIVE_INFINITY;
                        break;
                    }
                }
                rowMax[d] = mx;
            }
        }
        for (int a = 0; a < A; a++) {
            final double lo = areaRng[a][0];
            final double hi = areaRng[a][1];
            // gt ignore flags and the stable "ignored last" order
            int s = 0;
            for (int g = 0; g < nG; g++) {
                int j = w.gts[g];
                if (!(gtCrowd[j] || gtArea[j] < lo || gtArea[j] > hi)) {
                    w.gtSortedCol[s++] = g;
                }
            }
            w.npig[a] += s;
            for (int g = 0; g < nG; g++) {
                int j = w.gts[g];
                if (gtCrowd[j] || gtArea[j] < lo || gtArea[j] > hi) {
                    w.gtSortedCol[s++] = g;
                }
            }
            for (int q = 0; q < nG; q++) {
                int j = w.gts[w.gtSortedCol[q]];
                w.gtIgnoreSorted[q] = gtCrowd[j] || gtArea[j] < lo || gtArea[j] > hi;
                w.gtCrowdSorted[q] = gtCrowd[j];
                w.gtIdSorted[q] = gtId[j];
            }
            for (int d = 0; d < nD; d++) {
                double ar = dtArea[w.dts[d]];
                w.dtOutside[d] = ar < lo || ar > hi;
            }
            if (!haveIous) {
                // nothing to match: only the area rule applies
                for (int t = 0; t < T; t++) {
                    final int base = (a * T + t) * nPos + pos;
                    for (int d = 0; d < nD; d++) {
                        w.flags[base + d] = w.dtOutside[d] ? IGNORED : 0;
                    }
                }
                continue;
            }
            for (int t = 0; t < T; t++) {
                Arrays.fill(w.gtm, 0, nG, 0L);
                Arrays.fill(w.dtm, 0, nD, 0L);
                Arrays.fill(w.dtIg, 0, nD, false);
                final double thr = Math.min(iouThrs[t], 1 - 1e-10);
                for (int d = 0; d < nD; d++) {
                    if (rowMax[d] < thr) {
                        continue;
                    }
                    double best = thr;
                    int m = -1;
                    final int row = d * nG;
                    for (int q = 0; q < nG; q++) {
                        if (w.gtm[q] > 0 && !w.gtCrowdSorted[q]) {
                            continue;
                        }
                        if (m > -1 && !w.gtIgnoreSorted[m] && w.gtIgnoreSorted[q]) {
                            break;
                        }
                        double v = ious[row + w.gtSortedCol[q]];
                        if (v < best) {
                            continue;
                        }
                        best = v;
                        m = q;
                    }
                    if (m == -1) {
                        continue;
                    }
                    w.dtIg[d] = w.gtIgnoreSorted[m];
                    w.dtm[d] = w.gtIdSorted[m];
                    w.gtm[m] = dtId[w.dts[d]];
                }
                final int base = (a * T + t) * nPos + pos;
                for (int d = 0; d < nD; d++) {
                    boolean matched = w.dtm[d] != 0;
                    boolean ignored = w.dtIg[d] || (!matched && w.dtOutside[d]);
                    w.flags[base + d] = (byte) ((matched ? MATCHED : 0) | (ignored ? IGNORED : 0));
                }
            }
        }
    }

    /**
     * {@code accumulate()} for one category index {@code k}.
     *
     * <p>Same numbers as pycocotools' loop, computed with less work: recall {@code rc[j] = tp_j / npig} is evaluated
     * only where {@code np.searchsorted} probes it, and the right-to-left precision envelope at a position {@code pi}
     * is {@code max(pr[pi], max of pr at the true positives after pi)}: at an ignored detection {@code pr} repeats,
     * at a false positive it cannot grow (IEEE addition and division are monotone), so only true positives can raise
     * the suffix maximum. Every {@code pr}/{@code rc} value used is computed with pycocotools' exact expression.
     */
    private void accumulateCategory(int k, Workspace w, int nPos) {
        final int[] perm = w.perm;
        for (int p = 0; p < nPos; p++) {
            perm[p] = p;
        }
        NumpyCompat.stableSortByScoreDesc(perm, 0, nPos, w.posScore, w.permTmp);
        // flags in sorted order, so the scans below read memory sequentially
        final byte[] sorted = w.sortedFlags;
        for (int at = 0; at < A * T; at++) {
            final int base = at * nPos;
            for (int p = 0; p < nPos; p++) {
                sorted[base + p] = w.flags[base + perm[p]];
            }
        }
        final int[] selP = w.sel;
        final int[] cumTp = w.cumTp;
        final int[] cumFp = w.cumFp;
        final int[] tpPos = w.tpPos;
        final double[] sufMax = w.sufMax;
        for (int m = 0; m < M; m++) {
            final int maxDet = maxDets[m];
            // the concatenation cut to maxDet per image, in sorted order: a subsequence of the full sorted order
            int nd = 0;
            for (int p = 0; p < nPos; p++) {
                if (w.posRank[perm[p]] < maxDet) {
                    selP[nd++] = p;
                }
            }
            for (int a = 0; a < A; a++) {
                final long npig = w.npig[a];
                if (npig == 0) {
                    continue;
                }
                final double npigD = npig;
                for (int t = 0; t < T; t++) {
                    final int base = (a * T + t) * nPos;
                    int tp = 0;
                    int fp = 0;
                    int nTp = 0;
                    // branch-free: matched/ignored are data-dependent coin flips for the branch predictor
                    final boolean all = nd == nPos;
                    for (int j = 0; j < nd; j++) {
                        int f = sorted[base + (all ? j : selP[j])];
                        int counted = ((f >> 1) & 1) ^ 1; // not ignored
                        int isTp = counted & f;           // MATCHED is bit 0
                        tp += isTp;
                        fp += counted & (isTp ^ 1);
                        tpPos[nTp] = j;
                        nTp += isTp;
                        cumTp[j] = tp;
                        cumFp[j] = fp;
                    }
                    recall[((t * K + k) * A + a) * M + m] = nd > 0 ? tp / npigD : 0;
                    // suffix maxima of precision over the true-positive positions
                    double run = 0;
                    for (int q = nTp - 1; q >= 0; q--) {
                        double v = precisionAt(cumTp, cumFp, tpPos[q]);
                        run = q == nTp - 1 || v > run ? v : run;
                        sufMax[q] = run;
                    }
                    int q = 0;
                    for (int r = 0; r < R; r++) {
                        int pi = searchsortedRecall(cumTp, nd, npigD, recThrs[r]);
                        if (pi >= nd) {
                            for (int r2 = r; r2 < R; r2++) {
                                int idx2 = (((t * R + r2) * K + k) * A + a) * M + m;
                                precision[idx2] = 0;
                                scores[idx2] = 0;
                            }
                            break;
                        }
                        while (q < nTp && tpPos[q] <= pi) {
                            q++;
                        }
                        double v = precisionAt(cumTp, cumFp, pi);
                        if (q < nTp && sufMax[q] > v) {
                            v = sufMax[q];
                        }
                        int idx = (((t * R + r) * K + k) * A + a) * M + m;
                        precision[idx] = v;
                        scores[idx] = w.posScore[perm[selP[pi]]];
                    }
                }
            }
        }
    }

    /** pycocotools' {@code pr = tp / (fp + tp + np.spacing(1))} at position {@code j}. */
    private static double precisionAt(int[] cumTp, int[] cumFp, int j) {
        double tpd = cumTp[j];
        double fpd = cumFp[j];
        return tpd / (fpd + tpd + NumpyCompat.SPACING_ONE);
    }

    /**
     * {@code np.searchsorted(rc, v, side='left')} with {@code rc[j] = tp_j / npig} (non-decreasing), evaluated only
     * at the probed positions.
     */
    private static int searchsortedRecall(int[] cumTp, int n, double npig, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (NumpyCompat.lessThan(cumTp[mid] / npig, v)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
