/**
 * COCO detection and instance segmentation: Mask R-CNN with FPN on DJL, equal to torchvision's
 * {@code maskrcnn_resnet50_fpn} (checked against it on formula-set weights), fine-tuned from a backbone that
 * {@code detcon train} exported.
 * <ul>
 *   <li>{@code ops}: box arithmetic, anchors, box coder, matcher, sampler, NMS, level mapper, RoIAlign (device,
 *       differentiable; host for mask targets), mask pasting, losses: everything torchvision takes from
 *       {@code torchvision.ops} or writes inline, built from DJL tensor ops or plain Java;</li>
 *   <li>{@code model}: the blocks (FPN, RPN head, box head, mask head, the 2× transposed conv) in
 *       {@link org.detcon.eval.detection.model.MaskRcnnNet}, and {@link org.detcon.eval.detection.model.MaskRcnn},
 *       which runs a training forward pass (five losses) or inference (detections);</li>
 *   <li>{@code data}: COCO-layout splits (real COCO and {@code detcon data synth} output) as resized, flipped,
 *       normalised samples with their ground truth, and batches;</li>
 *   <li>{@code train}: the training step as a unit ({@link org.detcon.eval.detection.train.MaskRcnnTrainer}), its
 *       config, checkpoints;</li>
 *   <li>{@code infer}: COCO results files (bbox, RLE segm), evaluation with the project's COCOeval, {@code result.json},
 *       the fine-tuned detector's export and {@code --eval-only};</li>
 *   <li>{@code config}: the {@code coco-maskrcnn} recipe record and its YAML reader ({@code configs/eval/}).</li>
 * </ul>
 */
package org.detcon.eval.detection;
