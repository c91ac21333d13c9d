package org.detcon.trainer.masks;

import java.util.Map;
import java.util.TreeMap;
import org.detcon.core.labelmap.LabelMap;

/**
 * Average pooling of a label map's one-hot channels onto a g×g grid: for every label, the fraction of each cell's
 * pixels it covers. Cell (cy, cx) spans rows [⌊cy·H/g⌋, ⌈(cy+1)·H/g⌉) and columns likewise (PyTorch's adaptive
 * average pooling; for H and W divisible by g this is plain average pooling with kernel = stride = H/g, e.g. 32
 * pixels for 224 → 7).
 */
public final class CellCoverage {

    private CellCoverage() {
    }

    /** Label → coverage fractions of the g·g cells (row-major), labels in ascending order. */
    public static TreeMap<Integer, float[]> of(LabelMap map, int g) {
        int h = map.height();
        int w = map.width();
        TreeMap<Integer, float[]> cov = new TreeMap<>();
        for (int cy = 0; cy < g; cy++) {
            int y0 = start(cy, h, g);
            int y1 = end(cy, h, g);
            for (int cx = 0; cx < g; cx++) {
                int x0 = start(cx, w, g);
                int x1 = end(cx, w, g);
                float inv = 1f / ((long) (y1 - y0) * (x1 - x0));
                int cell = cy * g + cx;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        cov.computeIfAbsent(map.label(y, x), k -> new float[g * g])[cell] += inv;
                    }
                }
            }
        }
        return cov;
    }

    /** Coverage of a binary mask (nonzero = inside) on the g·g cells. */
    public static float[] ofBinary(LabelMap mask, int g) {
        float[] out = new float[g * g];
        for (Map.Entry<Integer, float[]> e : of(mask, g).entrySet()) {
            if (e.getKey() != 0) {
                float[] c = e.getValue();
                for (int i = 0; i < out.length; i++) {
                    out[i] += c[i];
                }
            }
        }
        return out;
    }

    static int start(int i, int size, int g) {
        return (int) ((long) i * size / g);
    }

    static int end(int i, int size, int g) {
        return (int) (((long) (i + 1) * size + g - 1) / g);
    }
}
