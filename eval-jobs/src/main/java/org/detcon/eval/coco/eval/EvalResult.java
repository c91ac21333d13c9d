package org.detcon.eval.coco.eval;

/**
 * What pycocotools' {@code accumulate()} leaves in {@code self.eval}: the resolved parameters and the
 * {@code precision [T,R,K,A,M]}, {@code recall [T,K,A,M]} and {@code scores [T,R,K,A,M]} arrays, flattened in C
 * order ({@code -1} where a setting has no ground truth / was not evaluated).
 */
public final class EvalResult {

    private final EvalParams params;
    private final long[] imgIds;
    private final long[] catIds;
    private final int T;
    private final int R;
    private final int K;
    private final int A;
    private final int M;
    private final double[] precision;
    private final double[] recall;
    private final double[] scores;

    EvalResult(EvalParams params, long[] imgIds, long[] catIds, int t, int r, int k, int a, int m,
            double[] precision, double[] recall, double[] scores) {
        this.params = params;
        this.imgIds = imgIds;
        this.catIds = catIds;
        this.T = t;
        this.R = r;
        this.K = k;
        this.A = a;
        this.M = m;
        this.precision = precision;
        this.recall = recall;
        this.scores = scores;
    }

    /** The parameters as evaluated (maxDets sorted). */
    public EvalParams params() {
        return params;
    }

    /** The evaluated image ids, sorted and distinct ({@code np.unique}). */
    public long[] imgIds() {
        return imgIds.clone();
    }

    /** The evaluated category ids ({@code [-1]} when {@code useCats} is false). */
    public long[] catIds() {
        return catIds.clone();
    }

    /** {@code [T, R, K, A, M]}. */
    public int[] counts() {
        return new int[] {T, R, K, A, M};
    }

    public double precision(int t, int r, int k, int a, int m) {
        return precision[(((t * R + r) * K + k) * A + a) * M + m];
    }

    public double recall(int t, int k, int a, int m) {
        return recall[((t * K + k) * A + a) * M + m];
    }

    public double score(int t, int r, int k, int a, int m) {
        return scores[(((t * R + r) * K + k) * A + a) * M + m];
    }

    /** The flattened precision array (C order over {@code [T,R,K,A,M]}); do not modify. */
    double[] precisionArray() {
        return precision;
    }

    double[] recallArray() {
        return recall;
    }
}
