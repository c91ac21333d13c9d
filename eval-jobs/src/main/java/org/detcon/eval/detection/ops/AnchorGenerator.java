package org.detcon.eval.detection.ops;

import java.util.Arrays;

/**
 * torchvision's {@code AnchorGenerator} with one anchor size per pyramid level: at every cell of level l, one anchor
 * per aspect ratio r (h/w), centred on the cell's top-left corner shifted by the stride:
 * <pre>
 *   h_ratio = √r, w_ratio = 1/h_ratio, base = round([−w, −h, w, h] / 2) with w = w_ratio·size, h = h_ratio·size
 *   anchor(y, x, a) = base[a] + [x·stride_w, y·stride_h, x·stride_w, y·stride_h]
 * </pre>
 * (float32, round half to even), ordered by cell (row-major) then ratio, the order the RPN head's outputs are
 * flattened in.
 */
public final class AnchorGenerator {

    private final int[] sizes;
    private final float[] ratios;
    private final float[][] cellAnchors;

    /** {@code sizes[l]}: the anchor size of level l; {@code ratios}: the aspect ratios (the same at every level). */
    public AnchorGenerator(int[] sizes, double[] ratios) {
        if (sizes.length == 0 || ratios.length == 0) {
            throw new IllegalArgumentException("need at least one anchor size and one aspect ratio");
        }
        this.sizes = sizes.clone();
        this.ratios = new float[ratios.length];
        for (int i = 0; i < ratios.length; i++) {
            if (!(ratios[i] > 0)) {
                throw new IllegalArgumentException("aspect ratios must be positive, got " + ratios[i]);
            }
            this.ratios[i] = (float) ratios[i];
        }
        this.cellAnchors = new float[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            cellAnchors[l] = cellAnchors(sizes[l], this.ratios);
        }
    }

    public int levels() {
        return sizes.length;
    }

    public int anchorsPerLocation() {
        return ratios.length;
    }

    /** The anchors of one cell at the origin (level l), {@code [ratios][4]} flattened. */
    public float[] cellAnchors(int level) {
        return cellAnchors[level].clone();
    }

    private static float[] cellAnchors(int size, float[] ratios) {
        float[] out = new float[4 * ratios.length];
        float scale = size;
        for (int a = 0; a < ratios.length; a++) {
            float h = (float) Math.sqrt(ratios[a]);
            float w = 1f / h;
            float ws = w * scale;
            float hs = h * scale;
            out[4 * a] = (float) Math.rint(-ws / 2f);
            out[4 * a + 1] = (float) Math.rint(-hs / 2f);
            out[4 * a + 2] = (float) Math.rint(ws / 2f);
            out[4 * a + 3] = (float) Math.rint(hs / 2f);
        }
        return out;
    }

    /**
     * All anchors of level l for a {@code gridH}×{@code gridW} feature map with the given strides (torchvision: the
     * padded batch size divided by the grid size, integer division).
     */
    public float[] anchors(int level, int gridH, int gridW, int strideH, int strideW) {
        float[] base = cellAnchors[level];
        int a = ratios.length;
        float[] out = new float[gridH * gridW * a * 4];
        int k = 0;
        for (int y = 0; y < gridH; y++) {
            float sy = (float) (y * strideH);
            for (int x = 0; x < gridW; x++) {
                float sx = (float) (x * strideW);
                for (int r = 0; r < a; r++) {
                    out[k++] = sx + base[4 * r];
                    out[k++] = sy + base[4 * r + 1];
                    out[k++] = sx + base[4 * r + 2];
                    out[k++] = sy + base[4 * r + 3];
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "AnchorGenerator" + Arrays.toString(sizes) + " x " + Arrays.toString(ratios);
    }
}
