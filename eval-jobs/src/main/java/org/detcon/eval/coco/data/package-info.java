/**
 * Evaluator input: the columnar {@link org.detcon.eval.coco.data.EvalDataset}, the {@link
 * org.detcon.eval.coco.data.IouComputer} boundary, its implementation on the core mask API ({@link
 * org.detcon.eval.coco.data.MaskApiIou}) and the {@code loadRes}/{@code _prepare} semantics that turn core's COCO
 * model into them ({@link org.detcon.eval.coco.data.CocoEvalLoader}).
 */
package org.detcon.eval.coco.data;
