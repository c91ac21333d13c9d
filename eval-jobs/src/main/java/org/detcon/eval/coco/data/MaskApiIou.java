package org.detcon.eval.coco.data;

import java.util.ArrayList;
import java.util.List;

import org.detcon.core.mask.MaskIou;
import org.detcon.core.mask.Rle;

/**
 * {@link IouComputer}s backed by the core mask API ({@code maskUtils.iou}): {@code bbIou} on the dataset's boxes, or
 * {@code rleIou} on per-annotation RLEs. The only class of the evaluator that calls {@code org.detcon.core.mask}.
 */
public final class MaskApiIou {

    private MaskApiIou() {
    }

    /** Box IoU ({@code iouType='bbox'}) on {@link EvalDataset#dtBox()} / {@link EvalDataset#gtBox()}. */
    public static IouComputer boxes(EvalDataset data) {
        final double[] db = data.dtBox();
        final double[] gb = data.gtBox();
        final boolean[] crowd = data.gtCrowd();
        return (dts, nDt, gts, nGt, out) -> {
            for (int g = 0; g < nGt; g++) {
                final int go = 4 * gts[g];
                final boolean c = crowd[gts[g]];
                for (int d = 0; d < nDt; d++) {
                    out[d * nGt + g] = MaskIou.bbIou(db, 4 * dts[d], gb, go, c);
                }
            }
        };
    }

    /**
     * Mask IoU ({@code iouType='segm'}): {@code gtMasks[i]} / {@code dtMasks[i]} are the RLEs of ground truth /
     * detection {@code i} of {@code data}.
     */
    public static IouComputer masks(EvalDataset data, Rle[] gtMasks, Rle[] dtMasks) {
        if (gtMasks.length != data.gtCount() || dtMasks.length != data.dtCount()) {
            throw new IllegalArgumentException("one RLE per annotation is required");
        }
        final boolean[] crowd = data.gtCrowd();
        return (dts, nDt, gts, nGt, out) -> {
            List<Rle> d = new ArrayList<>(nDt);
            for (int i = 0; i < nDt; i++) {
                d.add(dtMasks[dts[i]]);
            }
            List<Rle> g = new ArrayList<>(nGt);
            boolean[] c = new boolean[nGt];
            for (int j = 0; j < nGt; j++) {
                g.add(gtMasks[gts[j]]);
                c[j] = crowd[gts[j]];
            }
            double[][] o = MaskIou.iou(d, g, c);
            for (int i = 0; i < nDt; i++) {
                System.arraycopy(o[i], 0, out, i * nGt, nGt);
            }
        };
    }
}
