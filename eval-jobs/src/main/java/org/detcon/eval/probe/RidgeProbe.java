package org.detcon.eval.probe;

import java.util.Arrays;

/**
 * A linear per-pixel probe on frozen features, fitted in closed form (ridge regression, double precision).
 *
 * <p>Resolution: the g×g feature grid is <b>upsampled bilinearly to the label resolution</b> (half-pixel centres,
 * edges clamped: PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}) and the probe is fitted on
 * every labelled pixel. Because a linear map commutes with that upsampling, neither the upsampled features nor
 * the per-pixel design matrix are ever built: each image contributes {@code Fᵀ (Σ_p m_p u_p u_pᵀ) F} and
 * {@code Fᵀ (Σ_p m_p u_p y_pᵀ)}, where {@code u_p} are pixel p's (≤ 4) interpolation weights over the grid
 * cells and {@code m_p} its validity, and predictions are the grid logits upsampled the same way. The result is
 * exactly the least-squares fit on upsampled features.
 *
 * <p>Features get a constant 1 appended (an unpenalised bias). The ridge term is {@code lambda · trace(A)/C}
 * on the feature block, so its strength does not depend on the features' scale.
 *
 * <p>Classification uses one-hot targets (a least-squares classifier, argmax at prediction); regression a single
 * target. Deterministic: sums run in a fixed order.
 */
public final class RidgeProbe {

    private final int grid;
    private final int channels;
    private final int outputs;
    private final int dim;
    private final double[] a;   // dim x dim
    private final double[] b;   // dim x outputs
    private long pixels;
    private double[] classWeights;

    public RidgeProbe(int grid, int channels, int outputs) {
        if (grid < 1 || channels < 1 || outputs < 1) {
            throw new IllegalArgumentException("grid, channels and outputs must be positive");
        }
        this.grid = grid;
        this.channels = channels;
        this.outputs = outputs;
        this.dim = channels + 1;
        this.a = new double[dim * dim];
        this.b = new double[dim * outputs];
    }

    public long pixels() {
        return pixels;
    }

    /**
     * Per-class pixel weights for {@link #addClassification} (weighted least squares), e.g. {@code total / (K ·
     * count_c)} so that every class weighs the same: without it the dominant class (background) wins the argmax
     * almost everywhere.
     */
    public void setClassWeights(double[] weights) {
        if (weights.length != outputs) {
            throw new IllegalArgumentException("need " + outputs + " class weights");
        }
        this.classWeights = weights.clone();
    }

    /** Interpolation taps of every pixel of an h×w label map: 4 cells and 4 weights per pixel. */
    record Taps(int h, int w, int[] cell, double[] weight) {
    }

    static Taps taps(int grid, int h, int w) {
        int n = h * w;
        int[] cell = new int[4 * n];
        double[] wt = new double[4 * n];
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        double[] fy = new double[h];
        axis(grid, h, y0, y1, fy);
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        double[] fx = new double[w];
        axis(grid, w, x0, x1, fx);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = 4 * (y * w + x);
                cell[k] = y0[y] * grid + x0[x];
                wt[k] = (1 - fy[y]) * (1 - fx[x]);
                cell[k + 1] = y0[y] * grid + x1[x];
                wt[k + 1] = (1 - fy[y]) * fx[x];
                cell[k + 2] = y1[y] * grid + x0[x];
                wt[k + 2] = fy[y] * (1 - fx[x]);
                cell[k + 3] = y1[y] * grid + x1[x];
                wt[k + 3] = fy[y] * fx[x];
            }
        }
        return new Taps(h, w, cell, wt);
    }

    private static void axis(int grid, int n, int[] lo, int[] hi, double[] frac) {
        double scale = (double) grid / n;
        for (int i = 0; i < n; i++) {
            double s = Math.max(0, (i + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(s), grid - 1);
            lo[i] = i0;
            hi[i] = Math.min(i0 + 1, grid - 1);
            frac[i] = i0 == grid - 1 ? 0 : s - i0;
        }
    }

    private Taps cached;

    private Taps tapsFor(int h, int w) {
        if (cached == null || cached.h() != h || cached.w() != w) {
            cached = taps(grid, h, w);
        }
        return cached;
    }

    /**
     * Adds one image for classification.
     *
     * @param features g·g·C floats, cell-major (cell = row·g + col, then channel)
     * @param labels   h·w class ids in [0, outputs) or {@code ignore}
     */
    public void addClassification(float[] features, int h, int w, int[] labels, int ignore) {
        Taps t = tapsFor(h, w);
        int cells = grid * grid;
        double[] m = new double[cells * cells];
        double[] y = new double[cells * outputs];
        for (int p = 0; p < h * w; p++) {
            int c = labels[p];
            if (c == ignore) {
                continue;
            }
            if (c < 0 || c >= outputs) {
                throw new IllegalArgumentException("label " + c + " out of range 0.." + (outputs - 1));
            }
            double wc = classWeights == null ? 1 : classWeights[c];
            accumulate(t, p, m, wc);
            for (int j = 0; j < 4; j++) {
                y[t.cell()[4 * p + j] * outputs + c] += wc * t.weight()[4 * p + j];
            }
            pixels++;
        }
        fold(features, m, y);
    }

    /** Adds one image for regression of one value per pixel ({@code outputs} must be 1). */
    public void addRegression(float[] features, int h, int w, double[] target, boolean[] valid) {
        if (outputs != 1) {
            throw new IllegalStateException("regression needs outputs = 1");
        }
        Taps t = tapsFor(h, w);
        int cells = grid * grid;
        double[] m = new double[cells * cells];
        double[] y = new double[cells];
        for (int p = 0; p < h * w; p++) {
            if (!valid[p]) {
                continue;
            }
            accumulate(t, p, m, 1);
            for (int j = 0; j < 4; j++) {
                y[t.cell()[4 * p + j]] += t.weight()[4 * p + j] * target[p];
            }
            pixels++;
        }
        fold(features, m, y);
    }

    private void accumulate(Taps t, int p, double[] m, double scale) {
        int cells = grid * grid;
        for (int i = 0; i < 4; i++) {
            double wi = scale * t.weight()[4 * p + i];
            if (wi == 0) {
                continue;
            }
            int ci = t.cell()[4 * p + i];
            for (int j = 0; j < 4; j++) {
                m[ci * cells + t.cell()[4 * p + j]] += wi * t.weight()[4 * p + j];
            }
        }
    }

    /** A += F̃ᵀ M F̃ and B += F̃ᵀ Y with F̃ = [F, 1]. */
    private void fold(float[] features, double[] m, double[] y) {
        int cells = grid * grid;
        if (features.length != cells * channels) {
            throw new IllegalArgumentException("expected " + cells * channels + " feature values, got "
                    + features.length);
        }
        double[] f = new double[cells * dim];
        for (int c = 0; c < cells; c++) {
            for (int k = 0; k < channels; k++) {
                f[c * dim + k] = features[c * channels + k];
            }
            f[c * dim + channels] = 1;
        }
        double[] mf = new double[cells * dim]; // M F̃
        for (int i = 0; i < cells; i++) {
            for (int j = 0; j < cells; j++) {
                double v = m[i * cells + j];
                if (v == 0) {
                    continue;
                }
                for (int k = 0; k < dim; k++) {
                    mf[i * dim + k] += v * f[j * dim + k];
                }
            }
        }
        for (int c = 0; c < cells; c++) {
            for (int r = 0; r < dim; r++) {
                double fr = f[c * dim + r];
                if (fr == 0) {
                    continue;
                }
                int row = r * dim;
                int mrow = c * dim;
                for (int k = r; k < dim; k++) { // upper triangle; mirrored in solve
                    a[row + k] += fr * mf[mrow + k];
                }
                for (int o = 0; o < outputs; o++) {
                    b[r * outputs + o] += fr * y[c * outputs + o];
                }
            }
        }
    }

    /** The fitted weights ((C+1)×outputs, last row = bias). */
    public double[] solve(double lambda) {
        double[] s = new double[dim * dim];
        for (int r = 0; r < dim; r++) {
            for (int k = r; k < dim; k++) {
                s[r * dim + k] = a[r * dim + k];
                s[k * dim + r] = a[r * dim + k];
            }
        }
        double trace = 0;
        for (int k = 0; k < channels; k++) {
            trace += s[k * dim + k];
        }
        double reg = lambda * Math.max(trace / channels, 1e-12);
        for (int k = 0; k < channels; k++) {
            s[k * dim + k] += reg;
        }
        s[channels * dim + channels] += 1e-9 * Math.max(1, pixels); // keeps an all-zero feature set solvable
        return Cholesky.solve(s, dim, Arrays.copyOf(b, b.length), outputs);
    }

    /** Grid outputs (cells × outputs) for one image's features. */
    public double[] gridOutputs(float[] features, double[] weights) {
        int cells = grid * grid;
        double[] out = new double[cells * outputs];
        for (int c = 0; c < cells; c++) {
            for (int o = 0; o < outputs; o++) {
                double v = weights[channels * outputs + o];
                for (int k = 0; k < channels; k++) {
                    v += features[c * channels + k] * weights[k * outputs + o];
                }
                out[c * outputs + o] = v;
            }
        }
        return out;
    }

    /** Per-pixel argmax of the upsampled outputs. */
    public int[] predictClasses(float[] features, double[] weights, int h, int w) {
        double[] g = gridOutputs(features, weights);
        Taps t = tapsFor(h, w);
        int[] out = new int[h * w];
        double[] v = new double[outputs];
        for (int p = 0; p < h * w; p++) {
            Arrays.fill(v, 0);
            for (int j = 0; j < 4; j++) {
                int c = t.cell()[4 * p + j];
                double wt = t.weight()[4 * p + j];
                for (int o = 0; o < outputs; o++) {
                    v[o] += wt * g[c * outputs + o];
                }
            }
            int best = 0;
            for (int o = 1; o < outputs; o++) {
                if (v[o] > v[best]) {
                    best = o;
                }
            }
            out[p] = best;
        }
        return out;
    }

    /** Per-pixel upsampled output (regression). */
    public double[] predictValues(float[] features, double[] weights, int h, int w) {
        double[] g = gridOutputs(features, weights);
        Taps t = tapsFor(h, w);
        double[] out = new double[h * w];
        for (int p = 0; p < h * w; p++) {
            double v = 0;
            for (int j = 0; j < 4; j++) {
                v += t.weight()[4 * p + j] * g[t.cell()[4 * p + j]];
            }
            out[p] = v;
        }
        return out;
    }
}
