package org.detcon.eval.coco.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * Evaluation parameters, as pycocotools' {@code Params} for {@code iouType} {@code bbox}/{@code segm}
 * ({@code setDetParams}). Immutable; the {@code with*} methods return modified copies.
 *
 * <p>Defaults: {@code iouThrs = np.linspace(.5, 0.95, 10)} and {@code recThrs = np.linspace(.0, 1.00, 101)} with
 * numpy's exact arithmetic (see {@link NumpyCompat#linspace}), {@code maxDets = [1, 10, 100]}, area ranges
 * {@code all/small/medium/large = [0, 1e10], [0, 32²], [32², 96²], [96², 1e10]}, {@code useCats = true}, and all
 * images / all categories of the ground truth ({@code imgIds}/{@code catIds} {@code null} = "all").
 */
public final class EvalParams {

    private final IouType iouType;
    private final long[] imgIds;
    private final long[] catIds;
    private final double[] iouThrs;
    private final double[] recThrs;
    private final int[] maxDets;
    private final double[][] areaRng;
    private final String[] areaRngLbl;
    private final boolean useCats;

    private EvalParams(IouType iouType, long[] imgIds, long[] catIds, double[] iouThrs, double[] recThrs,
            int[] maxDets, double[][] areaRng, String[] areaRngLbl, boolean useCats) {
        this.iouType = Objects.requireNonNull(iouType, "iouType");
        this.imgIds = imgIds == null ? null : imgIds.clone();
        this.catIds = catIds == null ? null : catIds.clone();
        this.iouThrs = iouThrs.clone();
        this.recThrs = recThrs.clone();
        this.maxDets = maxDets.clone();
        if (areaRng.length != areaRngLbl.length) {
            throw new IllegalArgumentException("areaRng and areaRngLbl differ in length");
        }
        this.areaRng = new double[areaRng.length][];
        for (int i = 0; i < areaRng.length; i++) {
            if (areaRng[i].length != 2) {
                throw new IllegalArgumentException("an area range is [lo, hi]");
            }
            this.areaRng[i] = areaRng[i].clone();
        }
        this.areaRngLbl = areaRngLbl.clone();
        this.useCats = useCats;
    }

    /** pycocotools' defaults for detection ({@code Params(iouType).setDetParams()}). */
    public static EvalParams defaults(IouType iouType) {
        double[] iouThrs = NumpyCompat.linspace(.5, 0.95, NumpyCompat.roundHalfEven((0.95 - .5) / .05) + 1);
        double[] recThrs = NumpyCompat.linspace(.0, 1.00, NumpyCompat.roundHalfEven((1.00 - .0) / .01) + 1);
        double big = 1e5 * 1e5;
        double[][] areaRng = {{0, big}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, big}};
        return new EvalParams(iouType, null, null, iouThrs, recThrs, new int[] {1, 10, 100}, areaRng,
                new String[] {"all", "small", "medium", "large"}, true);
    }

    public IouType iouType() {
        return iouType;
    }

    /** Image ids to evaluate, or {@code null} for all images of the ground truth. */
    public long[] imgIds() {
        return imgIds == null ? null : imgIds.clone();
    }

    /** Category ids to evaluate, or {@code null} for all categories of the ground truth. */
    public long[] catIds() {
        return catIds == null ? null : catIds.clone();
    }

    public double[] iouThrs() {
        return iouThrs.clone();
    }

    public double[] recThrs() {
        return recThrs.clone();
    }

    public int[] maxDets() {
        return maxDets.clone();
    }

    public double[][] areaRng() {
        double[][] c = new double[areaRng.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = areaRng[i].clone();
        }
        return c;
    }

    public String[] areaRngLbl() {
        return areaRngLbl.clone();
    }

    public boolean useCats() {
        return useCats;
    }

    public EvalParams withImgIds(long... ids) {
        return new EvalParams(iouType, ids, catIds, iouThrs, recThrs, maxDets, areaRng, areaRngLbl, useCats);
    }

    public EvalParams withCatIds(long... ids) {
        return new EvalParams(iouType, imgIds, ids, iouThrs, recThrs, maxDets, areaRng, areaRngLbl, useCats);
    }

    public EvalParams withIouThrs(double... t) {
        return new EvalParams(iouType, imgIds, catIds, t, recThrs, maxDets, areaRng, areaRngLbl, useCats);
    }

    public EvalParams withRecThrs(double... r) {
        return new EvalParams(iouType, imgIds, catIds, iouThrs, r, maxDets, areaRng, areaRngLbl, useCats);
    }

    public EvalParams withMaxDets(int... m) {
        return new EvalParams(iouType, imgIds, catIds, iouThrs, recThrs, m, areaRng, areaRngLbl, useCats);
    }

    public EvalParams withAreaRng(double[][] rng, String[] lbl) {
        return new EvalParams(iouType, imgIds, catIds, iouThrs, recThrs, maxDets, rng, lbl, useCats);
    }

    public EvalParams withUseCats(boolean u) {
        return new EvalParams(iouType, imgIds, catIds, iouThrs, recThrs, maxDets, areaRng, areaRngLbl, u);
    }

    @Override
    public String toString() {
        return "EvalParams[iouType=" + iouType.cocoName() + ", iouThrs=" + Arrays.toString(iouThrs) + ", maxDets="
                + Arrays.toString(maxDets) + ", areaRngLbl=" + Arrays.toString(areaRngLbl) + ", useCats=" + useCats
                + "]";
    }
}
