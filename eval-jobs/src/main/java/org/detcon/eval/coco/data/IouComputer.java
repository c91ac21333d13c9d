package org.detcon.eval.coco.data;

/**
 * Computes the IoU matrix between some detections and some ground truths of one (image, category) cell, with
 * pycocotools' {@code iscrowd} semantics (for a crowd ground truth the union is the detection's own area).
 *
 * <p>Implementations must be safe for concurrent use by several threads with distinct {@code out} arrays.
 */
public interface IouComputer {

    /**
     * Fills {@code out[d * nGt + g]} with the IoU of detection {@code dts[d]} and ground truth {@code gts[g]}
     * (indices into the {@link EvalDataset}'s detection / ground-truth arrays), for {@code d < nDt, g < nGt}; this is
     * {@code maskUtils.iou(d, g, iscrowd)[d, g]}.
     */
    void iou(int[] dts, int nDt, int[] gts, int nGt, double[] out);
}
