package org.detcon.trainer.masks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.detcon.core.labelmap.LabelMap;

/**
 * The masks that exist in one view, each with its id and its pooling weights over the g×g feature cells
 * (row-major, summing to 1, so that pooling is a weighted mean of feature vectors).
 *
 * <p>Ids are what makes two masks "the same region" across views: the label for a partition (label map), the
 * index in the list for an overlapping mask set.
 */
public record MaskCandidates(int gridSize, int[] ids, float[][] weights) {

    public MaskCandidates {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException("ids and weights differ in length");
        }
        for (float[] w : weights) {
            if (w.length != gridSize * gridSize) {
                throw new IllegalArgumentException("weights must have " + gridSize * gridSize + " cells");
            }
        }
    }

    public int size() {
        return ids.length;
    }

    /**
     * Masks of a view's label map (a partition) on the feature grid. Every cell goes to the label covering most of
     * its pixels (average pooling of one-hot maps, then argmax); on a tie the <b>lowest label</b> wins, as argmax
     * over channels ordered by label does. A label exists if it wins at least one cell. Hard pooling weights are
     * uniform over the cells it wins; with {@link MaskConfig#soft()} they are its coverage fractions of every cell.
     */
    public static MaskCandidates fromLabelMap(LabelMap map, MaskConfig config) {
        int g = config.gridSize();
        TreeMap<Integer, float[]> cov = CellCoverage.of(map, g);
        int[] winner = majority(cov, g);
        List<Integer> ids = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (Map.Entry<Integer, float[]> e : cov.entrySet()) {
            int label = e.getKey();
            float[] w = new float[g * g];
            boolean exists = false;
            for (int c = 0; c < w.length; c++) {
                if (winner[c] == label) {
                    exists = true;
                    w[c] = 1f;
                }
            }
            if (!exists) {
                continue;
            }
            ids.add(label);
            weights.add(normalise(config.soft() ? e.getValue().clone() : w));
        }
        return of(g, ids, weights);
    }

    /** The winning label of every cell (ties → lowest label). */
    public static int[] majority(LabelMap map, int g) {
        return majority(CellCoverage.of(map, g), g);
    }

    private static int[] majority(TreeMap<Integer, float[]> cov, int g) {
        int[] winner = new int[g * g];
        float[] best = new float[g * g];
        java.util.Arrays.fill(best, -1f);
        for (Map.Entry<Integer, float[]> e : cov.entrySet()) { // ascending labels: strict > keeps the lowest
            float[] c = e.getValue();
            for (int i = 0; i < c.length; i++) {
                if (c[i] > best[i]) {
                    best[i] = c[i];
                    winner[i] = e.getKey();
                }
            }
        }
        return winner;
    }

    /**
     * Overlapping masks (ground truth, proposals): a list of binary masks at view resolution (nonzero = inside).
     * Each is pooled softly (coverage fractions as weights); entry i exists, with id i, if it covers at least half
     * of some cell.
     */
    public static MaskCandidates fromOverlapping(List<LabelMap> masks, int g) {
        List<Integer> ids = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            float[] c = CellCoverage.ofBinary(masks.get(i), g);
            float max = 0;
            for (float v : c) {
                max = Math.max(max, v);
            }
            if (max >= 0.5f - 1e-6f) {
                ids.add(i);
                weights.add(normalise(c));
            }
        }
        return of(g, ids, weights);
    }

    private static MaskCandidates of(int g, List<Integer> ids, List<float[]> weights) {
        return new MaskCandidates(g, ids.stream().mapToInt(Integer::intValue).toArray(),
                weights.toArray(new float[0][]));
    }

    private static float[] normalise(float[] w) {
        double s = 0;
        for (float v : w) {
            s += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] / s);
        }
        return w;
    }
}
