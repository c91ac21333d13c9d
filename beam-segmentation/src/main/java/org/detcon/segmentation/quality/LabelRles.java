package org.detcon.segmentation.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.mask.Rle;

/**
 * The segments of a label map as binary masks in COCO RLE form (column-major runs, zeros first), identical to
 * {@code pycocotools.mask.encode(np.asfortranarray(labels == l))}: one pass over the pixels for all labels.
 */
public final class LabelRles {

    private LabelRles() {
    }

    /** One RLE per label present, in increasing label order. */
    public static List<Rle> toRles(LabelMap map) {
        int h = map.height();
        int w = map.width();
        int[] labels = map.labels();
        int max = -1;
        for (int v : labels) {
            max = Math.max(max, v);
        }
        int n = max + 1;
        int[][] counts = new int[n][];
        int[] size = new int[n];
        int[] end = new int[n]; // column-major index just past the label's current ones-run
        int[] runStart = new int[n];
        boolean[] seen = new boolean[n];
        int j = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0, idx = x; y < h; y++, idx += w, j++) {
                int l = labels[idx];
                if (seen[l] && end[l] == j) {
                    end[l] = j + 1; // extends the run
                    continue;
                }
                if (!seen[l]) {
                    seen[l] = true;
                    counts[l] = new int[8];
                    end[l] = 0;
                } else {
                    add(counts, size, l, end[l] - runStart[l]); // close the previous ones-run
                }
                add(counts, size, l, j - end[l]); // the zeros before this run
                runStart[l] = j;
                end[l] = j + 1;
            }
        }
        int total = h * w;
        List<Rle> out = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            if (!seen[l]) {
                continue;
            }
            add(counts, size, l, end[l] - runStart[l]);
            if (end[l] < total) {
                add(counts, size, l, total - end[l]);
            }
            out.add(new Rle(h, w, Arrays.copyOf(counts[l], size[l])));
        }
        return out;
    }

    private static void add(int[][] counts, int[] size, int l, int v) {
        if (size[l] == counts[l].length) {
            counts[l] = Arrays.copyOf(counts[l], counts[l].length * 2);
        }
        counts[l][size[l]++] = v;
    }
}
