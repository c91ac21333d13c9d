package org.detcon.eval.coco.data;

/** What the evaluator needs: the columnar data and the IoU for the chosen {@code iouType}. */
public record EvalInput(EvalDataset dataset, IouComputer iou) {
}
