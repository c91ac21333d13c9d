package org.detcon.eval.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * torchvision's {@code MultiScaleRoIAlign}: each region is pooled from the FPN level its size selects
 * ({@link LevelMapper}), at that level's scale. Scales are inferred as torchvision does: for each level,
 * {@code 2^round(log2(featureHeight / maxImageHeight))} over the images' unpadded sizes, and the level range from the
 * first and last scale.
 */
public final class MultiScaleRoiAlign {

    private final int outputSize;
    private final int samplingRatio;
    private final boolean aligned;

    public MultiScaleRoiAlign(int outputSize, int samplingRatio, boolean aligned) {
        this.outputSize = outputSize;
        this.samplingRatio = samplingRatio;
        this.aligned = aligned;
    }

    public int outputSize() {
        return outputSize;
    }

    /** Channels-last rows of each pooled level, computed once per forward pass and shared by the box and mask heads. */
    public record Levels(List<NDArray> rows, int[] heights, int[] widths, float[] scales, LevelMapper mapper) {
    }

    /**
     * Prepares the levels {@code features} ({@code [B, C, H_l, W_l]} each) for pooling regions of images whose
     * unpadded sizes are {@code imageSizes[i] = {h, w}}.
     */
    public static Levels levels(List<NDArray> features, int[][] imageSizes) {
        int maxH = 0;
        for (int[] s : imageSizes) {
            maxH = Math.max(maxH, s[0]);
        }
        int n = features.size();
        int[] hs = new int[n];
        int[] ws = new int[n];
        float[] scales = new float[n];
        NDList rows = new NDList();
        for (int l = 0; l < n; l++) {
            Shape s = features.get(l).getShape();
            hs[l] = (int) s.get(2);
            ws[l] = (int) s.get(3);
            float approx = (float) hs[l] / (float) maxH;
            scales[l] = (float) Math.pow(2, Math.rint(Math.log(approx) / Math.log(2)));
            rows.add(RoiAlign.channelsLast(features.get(l)));
        }
        int kMin = (int) -Math.round(Math.log(scales[0]) / Math.log(2));
        int kMax = (int) -Math.round(Math.log(scales[n - 1]) / Math.log(2));
        return new Levels(rows, hs, ws, scales, LevelMapper.of(kMin, kMax));
    }

    /**
     * Pools the regions {@code boxes.get(i)} of image i (concatenated in image order) into
     * {@code [R, C, outputSize, outputSize]}.
     */
    public NDArray pool(Levels levels, List<float[]> boxes) {
        int r = 0;
        for (float[] b : boxes) {
            r += Boxes.count(b);
        }
        float[] all = new float[4 * r];
        int[] image = new int[r];
        int k = 0;
        for (int i = 0; i < boxes.size(); i++) {
            float[] b = boxes.get(i);
            System.arraycopy(b, 0, all, 4 * k, b.length);
            for (int j = 0; j < Boxes.count(b); j++) {
                image[k++] = i;
            }
        }
        int nLevels = levels.rows().size();
        NDManager m = levels.rows().get(0).getManager();
        long channels = levels.rows().get(0).getShape().get(1);
        if (r == 0) {
            return m.zeros(new Shape(0, channels, outputSize, outputSize));
        }
        int[] level = new int[r];
        int[] perLevel = new int[nLevels];
        for (int i = 0; i < r; i++) {
            level[i] = nLevels == 1 ? 0 : levels.mapper().level(all, i);
            perLevel[level[i]]++;
        }
        NDList parts = new NDList();
        long[] order = new long[r]; // order[j]: the region that row j of the concatenated level results holds
        int row = 0;
        for (int l = 0; l < nLevels; l++) {
            if (perLevel[l] == 0) {
                continue;
            }
            int[] idx = new int[perLevel[l]];
            int c = 0;
            for (int i = 0; i < r; i++) {
                if (level[i] == l) {
                    idx[c++] = i;
                    order[row++] = i;
                }
            }
            parts.add(RoiAlign.pool(levels.rows().get(l), levels.heights()[l], levels.widths()[l],
                    selectInts(image, idx), Boxes.select(all, idx, idx.length), levels.scales()[l], outputSize,
                    outputSize, samplingRatio, aligned));
        }
        NDArray cat = parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts);
        long[] inverse = new long[r];
        for (int j = 0; j < r; j++) {
            inverse[(int) order[j]] = j;
        }
        boolean identity = true;
        for (int j = 0; j < r && identity; j++) {
            identity = inverse[j] == j;
        }
        if (identity) {
            return cat;
        }
        // the index array stays open with the features' scope: the backward pass reads it
        return cat.get(m.create(inverse));
    }

    private static int[] selectInts(int[] v, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }
}
