package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.detcon.eval.detection.ops.BalancedSampler;
import org.detcon.eval.detection.ops.BoxCoder;
import org.detcon.eval.detection.ops.Boxes;
import org.detcon.eval.detection.ops.DetectionLosses;
import org.detcon.eval.detection.ops.Matcher;
import org.detcon.eval.detection.ops.MultiScaleRoiAlign;
import org.detcon.eval.detection.ops.Nms;
import org.detcon.eval.detection.ops.RoiAlign;

/**
 * torchvision's {@code RoIHeads} for boxes and masks.
 *
 * <p>Training: the ground-truth boxes join each image's proposals; proposals are matched (IoU ≥ 0.5 foreground,
 * else background), 512 sampled per image at most 25 % foreground (kept in proposal order); the box head's loss is
 * the cross-entropy over the sample (mean) plus smooth L1 (β = 1/9) of the foreground's deltas for their class,
 * summed and divided by the sample size; the mask loss is the binary cross-entropy (mean) of each foreground's
 * 28×28 logits for its class against its ground-truth mask RoIAligned onto the proposal (28×28, adaptive sampling,
 * not aligned).
 *
 * <p>Inference: per-class boxes decoded (weights 10, 10, 5, 5) and clipped, softmax scores, background dropped,
 * scores &gt; 0.05, boxes under 0.01 px dropped, NMS 0.5 per class, the best 100; masks predicted at the detections'
 * boxes, sigmoid, the detection's class.
 */
public final class RoiHeads {

    private static final float BETA = 1f / 9;
    private static final float MIN_SIZE = 1e-2f;

    private final MaskRcnnConfig.RoiHeads config;
    private final int numClasses;
    private final BoxCoder coder = BoxCoder.roiHeads();
    private final Matcher matcher;
    private final BalancedSampler sampler;
    private final MultiScaleRoiAlign boxPool;
    private final MultiScaleRoiAlign maskPool;

    public RoiHeads(MaskRcnnConfig.RoiHeads config, int numClasses) {
        this.config = config;
        this.numClasses = numClasses;
        this.matcher = new Matcher((float) config.fgIouThresh(), (float) config.bgIouThresh(), false);
        this.sampler = new BalancedSampler(config.batchSizePerImage(), config.positiveFraction());
        this.boxPool = new MultiScaleRoiAlign(config.boxPoolSize(), config.samplingRatio(), config.aligned());
        this.maskPool = new MultiScaleRoiAlign(config.maskPoolSize(), config.samplingRatio(), config.aligned());
    }

    /** The sampled proposals of every image with their class (0 = background) and matched ground truth. */
    public record Sample(List<float[]> proposals, List<int[]> labels, List<int[]> matched) {
    }

    /** {@code select_training_samples}. */
    public Sample select(List<float[]> proposals, List<ImageTargets> targets, RandomGenerator rng) {
        List<float[]> props = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<int[]> matched = new ArrayList<>();
        for (int i = 0; i < proposals.size(); i++) {
            ImageTargets t = targets.get(i);
            float[] p = concat(proposals.get(i), t.boxes());
            int n = Boxes.count(p);
            int[] lab = new int[n];
            int[] idx = new int[n];
            if (t.count() > 0) {
                int[] m = matcher.match(t.boxes(), p);
                for (int j = 0; j < n; j++) {
                    idx[j] = Math.max(m[j], 0);
                    lab[j] = m[j] == Matcher.BELOW_LOW_THRESHOLD ? 0
                            : m[j] == Matcher.BETWEEN_THRESHOLDS ? -1 : t.labels()[m[j]];
                }
            }
            BalancedSampler.Sample s = sampler.sample(lab, rng);
            int[] keep = merge(s.positives(), s.negatives());
            props.add(Boxes.select(p, keep, keep.length));
            int[] kl = new int[keep.length];
            int[] km = new int[keep.length];
            for (int j = 0; j < keep.length; j++) {
                kl[j] = lab[keep[j]];
                km[j] = idx[keep[j]];
            }
            labels.add(kl);
            matched.add(km);
        }
        return new Sample(props, labels, matched);
    }

    /** The box and mask losses ({@code loss_classifier}, {@code loss_box_reg}, {@code loss_mask}). */
    public Map<String, NDArray> loss(ParameterStore ps, BoxHead boxHead, MaskHead maskHead,
            MultiScaleRoiAlign.Levels levels, Sample sample, List<ImageTargets> targets, boolean training) {
        NDArray pooled = boxPool.pool(levels, sample.proposals());
        NDList out = boxHead.forward(ps, new NDList(pooled), training);
        NDArray logits = out.get(0);
        NDArray deltas = out.get(1);
        NDManager m = logits.getManager();
        int r = 0;
        for (int[] l : sample.labels()) {
            r += l.length;
        }
        long[] clsIdx = new long[r];
        List<Long> posIdx = new ArrayList<>();
        List<float[]> posTargets = new ArrayList<>();
        List<float[]> maskBoxes = new ArrayList<>();
        List<float[]> maskTargets = new ArrayList<>();
        List<Long> maskIdx = new ArrayList<>();
        int row = 0;
        int posRow = 0;
        int maskSize = config.maskSize();
        for (int i = 0; i < sample.labels().size(); i++) {
            int[] lab = sample.labels().get(i);
            int[] mt = sample.matched().get(i);
            float[] p = sample.proposals().get(i);
            ImageTargets t = targets.get(i);
            List<Integer> fg = new ArrayList<>();
            for (int j = 0; j < lab.length; j++, row++) {
                clsIdx[row] = (long) row * numClasses + lab[j];
                if (lab[j] > 0) {
                    posIdx.add((long) row * numClasses + lab[j]);
                    float[] d = new float[4];
                    coder.encode(t.boxes(), mt[j], p, j, d, 0);
                    posTargets.add(d);
                    fg.add(j);
                }
            }
            int[] fgIdx = fg.stream().mapToInt(Integer::intValue).toArray();
            float[] fgBoxes = Boxes.select(p, fgIdx, fgIdx.length);
            maskBoxes.add(fgBoxes);
            Map<Integer, byte[]> masks = new HashMap<>();
            for (int k = 0; k < fgIdx.length; k++) {
                int g = mt[fgIdx[k]];
                byte[] gm = masks.computeIfAbsent(g, t.masks()::mask);
                maskTargets.add(RoiAlign.alignMask(gm, t.masks().height(), t.masks().width(), fgBoxes, k, maskSize,
                        -1, false));
                maskIdx.add((long) posRow * numClasses + lab[fgIdx[k]]);
                posRow++;
            }
        }
        Map<String, NDArray> losses = new HashMap<>();
        // index and target arrays made from host data stay open until the step's scope closes: autograd reads
        // them in the backward pass (closing one frees its memory under the graph)
        losses.put("loss_classifier", DetectionLosses.crossEntropyMean(logits, m.create(clsIdx)));
        float[] bt = new float[4 * posTargets.size()];
        for (int i = 0; i < posTargets.size(); i++) {
            System.arraycopy(posTargets.get(i), 0, bt, 4 * i, 4);
        }
        NDArray pred = deltas.reshape(-1, 4).get(m.create(RegionProposalNetwork.toLongs(posIdx)));
        losses.put("loss_box_reg", DetectionLosses.smoothL1Sum(pred, m.create(bt, new Shape(posTargets.size(), 4)),
                BETA, r));
        NDArray maskFeatures = maskPool.pool(levels, maskBoxes);
        NDArray maskLogits = maskHead.forward(ps, new NDList(maskFeatures), training).singletonOrThrow();
        if (posRow == 0) {
            losses.put("loss_mask", DetectionLosses.zero(maskLogits));
        } else {
            float[] mt = new float[posRow * maskSize * maskSize];
            for (int i = 0; i < posRow; i++) {
                System.arraycopy(maskTargets.get(i), 0, mt, i * maskSize * maskSize, maskSize * maskSize);
            }
            NDArray picked = maskLogits.reshape(-1, maskSize, maskSize)
                    .get(m.create(RegionProposalNetwork.toLongs(maskIdx)));
            losses.put("loss_mask", DetectionLosses.bceWithLogitsMean(picked,
                    m.create(mt, new Shape(posRow, maskSize, maskSize))));
        }
        return losses;
    }

    /** Class logits {@code [R, K]} and box deltas {@code [R, 4K]} of the proposals (all images, in order). */
    public NDList boxOutputs(ParameterStore ps, BoxHead boxHead, MultiScaleRoiAlign.Levels levels,
            List<float[]> proposals) {
        return boxHead.forward(ps, new NDList(boxPool.pool(levels, proposals)), false);
    }

    /** {@code postprocess_detections} followed by the mask branch, for every image. */
    public List<Detections> detect(ParameterStore ps, BoxHead boxHead, MaskHead maskHead,
            MultiScaleRoiAlign.Levels levels, List<float[]> proposals, int[][] imageSizes) {
        NDList out = boxOutputs(ps, boxHead, levels, proposals);
        float[] scores = out.get(0).softmax(1).toFloatArray();
        float[] deltas = out.get(1).toFloatArray();
        List<Detections> boxes = new ArrayList<>();
        int row = 0;
        for (int i = 0; i < proposals.size(); i++) {
            float[] p = proposals.get(i);
            int n = Boxes.count(p);
            boxes.add(postprocess(p, n, scores, deltas, row, imageSizes[i]));
            row += n;
        }
        List<float[]> detBoxes = new ArrayList<>();
        for (Detections d : boxes) {
            detBoxes.add(d.boxes());
        }
        int maskSize = config.maskSize();
        int total = 0;
        for (Detections d : boxes) {
            total += d.count();
        }
        if (total == 0) {
            return boxes;
        }
        NDArray maskFeatures = maskPool.pool(levels, detBoxes);
        NDArray logits = maskHead.forward(ps, new NDList(maskFeatures), false).singletonOrThrow();
        long[] pick = new long[total];
        int k = 0;
        for (Detections d : boxes) {
            for (int label : d.labels()) {
                pick[k] = (long) k * numClasses + label;
                k++;
            }
        }
        float[] probs;
        try (NDArray idx = logits.getManager().create(pick)) {
            probs = logits.reshape(-1, maskSize, maskSize).get(idx).getNDArrayInternal().sigmoid().toFloatArray();
        }
        List<Detections> result = new ArrayList<>();
        int off = 0;
        int plane = maskSize * maskSize;
        for (Detections d : boxes) {
            float[] masks = new float[d.count() * plane];
            System.arraycopy(probs, off * plane, masks, 0, masks.length);
            off += d.count();
            result.add(new Detections(d.boxes(), d.scores(), d.labels(), masks, maskSize));
        }
        return result;
    }

    /** One image's {@code postprocess_detections}: rows {@code row..row+n} of the flattened head outputs. */
    private Detections postprocess(float[] proposals, int n, float[] scores, float[] deltas, int row,
            int[] imageSize) {
        int k = numClasses;
        int candidates = n * (k - 1);
        float[] boxes = new float[4 * candidates];
        float[] sc = new float[candidates];
        int[] labels = new int[candidates];
        int c = 0;
        for (int j = 0; j < n; j++) {
            int r = row + j;
            for (int cls = 1; cls < k; cls++) {
                coder.decode(deltas, 4 * (r * k + cls), proposals, j, boxes, 4 * c);
                sc[c] = scores[r * k + cls];
                labels[c] = cls;
                c++;
            }
        }
        Boxes.clip(boxes, imageSize[0], imageSize[1]);
        int[] keep = new int[candidates];
        int kept = 0;
        for (int j = 0; j < candidates; j++) {
            if (sc[j] > config.scoreThresh() && Boxes.largeEnough(boxes, j, MIN_SIZE)) {
                keep[kept++] = j;
            }
        }
        float[] b = Boxes.select(boxes, keep, kept);
        float[] s = Boxes.select1(sc, keep, kept);
        int[] l = new int[kept];
        for (int j = 0; j < kept; j++) {
            l[j] = labels[keep[j]];
        }
        int[] nms = Nms.batched(b, s, l, config.nmsThresh());
        int det = Math.min(nms.length, config.detectionsPerImage());
        int[] outLabels = new int[det];
        for (int j = 0; j < det; j++) {
            outLabels[j] = l[nms[j]];
        }
        return new Detections(Boxes.select(b, nms, det), Boxes.select1(s, nms, det), outLabels, new float[0],
                config.maskSize());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Two ascending index lists merged into one ascending list. */
    private static int[] merge(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            out[k++] = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
        }
        return out;
    }
}
