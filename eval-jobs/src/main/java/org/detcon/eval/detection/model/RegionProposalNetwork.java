package org.detcon.eval.detection.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.detcon.eval.detection.ops.AnchorGenerator;
import org.detcon.eval.detection.ops.BalancedSampler;
import org.detcon.eval.detection.ops.BoxCoder;
import org.detcon.eval.detection.ops.Boxes;
import org.detcon.eval.detection.ops.DetectionLosses;
import org.detcon.eval.detection.ops.Matcher;
import org.detcon.eval.detection.ops.Nms;

/**
 * torchvision's {@code RegionProposalNetwork} around the {@link RpnHead}'s outputs. Proposals: per image and level
 * the top-k anchors by objectness (on the device), their decoded boxes clipped to the image, boxes under 1e-3 px
 * dropped, NMS per level, the best {@code postNmsTopN} kept (host). Loss: anchors matched to the ground truth
 * (IoU ≥ 0.7 positive, &lt; 0.3 negative, low-quality matches kept), 256 sampled per image at most half positive;
 * binary cross-entropy of the objectness over the sample (mean), smooth L1 (β = 1/9) of the positives' deltas summed
 * and divided by the sample size.
 */
public final class RegionProposalNetwork {

    private static final float MIN_SIZE = 1e-3f;
    private static final float BETA = 1f / 9;

    private final MaskRcnnConfig.Rpn config;
    private final AnchorGenerator anchorGenerator;
    private final BoxCoder coder = BoxCoder.rpn();
    private final Matcher matcher;
    private final BalancedSampler sampler;
    private final Map<List<Integer>, float[]> anchorCache = new HashMap<>();

    public RegionProposalNetwork(MaskRcnnConfig.Rpn config, AnchorGenerator anchorGenerator) {
        this.config = config;
        this.anchorGenerator = anchorGenerator;
        this.matcher = new Matcher((float) config.fgIouThresh(), (float) config.bgIouThresh(), true);
        this.sampler = new BalancedSampler(config.batchSizePerImage(), config.positiveFraction());
    }

    /**
     * One forward pass. {@code objectness} and {@code deltas} are all images' head outputs flattened in anchor
     * order ({@code [N, A]}, {@code [N, A, 4]}, with gradient); {@code anchors} are one image's anchors (the same
     * for every image of the batch), all levels.
     */
    public record Output(List<float[]> proposals, List<float[]> scores, NDArray objectness, NDArray deltas,
            float[] anchors) {
    }

    /**
     * @param head        the head's outputs: objectness per level {@code [N, A, H, W]}, then deltas per level
     * @param paddedH     the batch tensor's height (anchor strides are paddedH / H)
     * @param imageSizes  each image's unpadded {@code {h, w}} (proposals are clipped to it)
     */
    public Output forward(NDList head, int paddedH, int paddedW, int[][] imageSizes, boolean training) {
        int levels = head.size() / 2;
        int n = imageSizes.length;
        int a = anchorGenerator.anchorsPerLocation();
        NDList obj = new NDList(levels);
        NDList del = new NDList(levels);
        List<float[]> levelAnchors = new ArrayList<>(levels);
        int total = 0;
        for (int l = 0; l < levels; l++) {
            Shape s = head.get(l).getShape();
            int h = (int) s.get(2);
            int w = (int) s.get(3);
            obj.add(head.get(l).transpose(0, 2, 3, 1).reshape(n, (long) h * w * a));
            del.add(head.get(levels + l).reshape(n, a, 4, h, w).transpose(0, 3, 4, 1, 2)
                    .reshape(n, (long) h * w * a, 4));
            levelAnchors.add(anchors(l, h, w, paddedH / h, paddedW / w));
            total += h * w * a;
        }
        float[] allAnchors = new float[4 * total];
        int off = 0;
        for (float[] la : levelAnchors) {
            System.arraycopy(la, 0, allAnchors, off, la.length);
            off += la.length;
        }
        List<float[]> proposals = new ArrayList<>(n);
        List<float[]> scores = new ArrayList<>(n);
        select(obj, del, levelAnchors, imageSizes, training, proposals, scores);
        NDArray objectness = levels == 1 ? obj.get(0) : NDArrays.concat(obj, 1);
        NDArray deltas = levels == 1 ? del.get(0) : NDArrays.concat(del, 1);
        return new Output(proposals, scores, objectness, deltas, allAnchors);
    }

    private float[] anchors(int level, int h, int w, int strideH, int strideW) {
        return anchorCache.computeIfAbsent(List.of(level, h, w, strideH, strideW),
                k -> anchorGenerator.anchors(level, h, w, strideH, strideW));
    }

    /** {@code filter_proposals}. */
    private void select(NDList obj, NDList del, List<float[]> levelAnchors, int[][] imageSizes, boolean training,
            List<float[]> proposals, List<float[]> scores) {
        int n = imageSizes.length;
        int levels = obj.size();
        int[] k = new int[levels];
        float[][] prob = new float[levels][];
        long[][] index = new long[levels][];
        float[][] delta = new float[levels][];
        for (int l = 0; l < levels; l++) {
            NDArray o = obj.get(l).stopGradient();
            int count = (int) o.getShape().get(1);
            k[l] = Math.min(config.preNmsTopN(training), count);
            NDList top = o.topK(k[l], 1, true, true);
            index[l] = top.get(1).toLongArray();
            prob[l] = top.get(0).getNDArrayInternal().sigmoid().toFloatArray();
            long[] flat = new long[n * k[l]];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k[l]; j++) {
                    flat[i * k[l] + j] = (long) i * count + index[l][i * k[l] + j];
                }
            }
            NDManager m = o.getManager();
            try (NDArray f = m.create(flat)) {
                delta[l] = del.get(l).stopGradient().reshape(-1, 4).get(f).toFloatArray();
            }
            top.close();
        }
        int cand = 0;
        for (int kk : k) {
            cand += kk;
        }
        for (int i = 0; i < n; i++) {
            float[] boxes = new float[4 * cand];
            float[] sc = new float[cand];
            int[] lvl = new int[cand];
            int c = 0;
            for (int l = 0; l < levels; l++) {
                float[] anchors = levelAnchors.get(l);
                for (int j = 0; j < k[l]; j++) {
                    int q = i * k[l] + j;
                    coder.decode(delta[l], 4 * q, anchors, (int) index[l][q], boxes, 4 * c);
                    sc[c] = prob[l][q];
                    lvl[c] = l;
                    c++;
                }
            }
            Boxes.clip(boxes, imageSizes[i][0], imageSizes[i][1]);
            int[] keep = new int[cand];
            int kept = 0;
            for (int j = 0; j < cand; j++) {
                if (Boxes.largeEnough(boxes, j, MIN_SIZE)) {
                    keep[kept++] = j;
                }
            }
            float[] b = Boxes.select(boxes, keep, kept);
            float[] s = Boxes.select1(sc, keep, kept);
            int[] g = new int[kept];
            for (int j = 0; j < kept; j++) {
                g[j] = lvl[keep[j]];
            }
            int[] nms = Nms.batched(b, s, g, config.nmsThresh());
            int post = Math.min(nms.length, config.postNmsTopN(training));
            proposals.add(Boxes.select(b, nms, post));
            scores.add(Boxes.select1(s, nms, post));
        }
    }

    /** The RPN's two losses ({@code loss_objectness}, {@code loss_rpn_box_reg}) for a forward pass's output. */
    public Map<String, NDArray> loss(Output out, List<ImageTargets> targets, RandomGenerator rng) {
        float[] anchors = out.anchors();
        int total = Boxes.count(anchors);
        List<Long> pos = new ArrayList<>();
        List<Long> sampled = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        List<float[]> regression = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ImageTargets t = targets.get(i);
            int[] lab = new int[total];
            int[] matches = null;
            if (t.count() > 0) {
                matches = matcher.match(t.boxes(), anchors);
                for (int j = 0; j < total; j++) {
                    lab[j] = matches[j] >= 0 ? 1 : matches[j] == Matcher.BELOW_LOW_THRESHOLD ? 0 : -1;
                }
            }
            BalancedSampler.Sample s = sampler.sample(lab, rng);
            long base = (long) i * total;
            for (int j : s.positives()) {
                pos.add(base + j);
                sampled.add(base + j);
                labels.add(1f);
                float[] d = new float[4];
                coder.encode(t.boxes(), matches[j], anchors, j, d, 0);
                regression.add(d);
            }
            for (int j : s.negatives()) {
                sampled.add(base + j);
                labels.add(0f);
            }
        }
        NDManager m = out.objectness().getManager();
        Map<String, NDArray> losses = new HashMap<>();
        // index and target arrays made from host data stay open until the step's scope closes: autograd reads
        // them in the backward pass (closing one frees its memory under the graph)
        losses.put("loss_objectness", DetectionLosses.bceWithLogitsMean(
                out.objectness().reshape(-1).get(m.create(toLongs(sampled))), m.create(toFloats(labels))));
        float[] target = new float[4 * regression.size()];
        for (int i = 0; i < regression.size(); i++) {
            System.arraycopy(regression.get(i), 0, target, 4 * i, 4);
        }
        NDArray pred = out.deltas().reshape(-1, 4).get(m.create(toLongs(pos)));
        losses.put("loss_rpn_box_reg", DetectionLosses.smoothL1Sum(pred, m.create(target, new Shape(pos.size(), 4)),
                BETA, sampled.size()));
        return losses;
    }

    static long[] toLongs(List<Long> v) {
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    static float[] toFloats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
