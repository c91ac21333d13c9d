package org.detcon.eval.detection.ops;

import static org.detcon.eval.detection.DetectionFixtures.assertClose;
import static org.detcon.eval.detection.DetectionFixtures.floats;
import static org.detcon.eval.detection.DetectionFixtures.ints;
import static org.detcon.eval.detection.DetectionFixtures.ops;
import static org.detcon.eval.detection.DetectionFixtures.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device ops against torchvision 0.14: RoIAlign forward and backward (aligned and not, 7×7 and 14×14, regions
 * outside the map), multi-scale RoIAlign and every loss with its input gradients (fixture: ops.json).
 */
class DeviceOpsGoldenTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Torch.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray array(JsonNode a) {
        return manager.create(floats(a), new Shape(shape(a)));
    }

    @Test
    void roiAlignForwardAndBackwardEqualTorchvision() {
        JsonNode all = ops("roi_align");
        int cases = 0;
        for (var entry : all.properties()) {
            JsonNode c = entry.getValue();
            float[] rois = floats(c.get("rois"));
            int r = rois.length / 5;
            int[] batch = new int[r];
            float[] boxes = new float[4 * r];
            for (int i = 0; i < r; i++) {
                batch[i] = (int) rois[5 * i];
                System.arraycopy(rois, 5 * i + 1, boxes, 4 * i, 4);
            }
            float scale = (float) c.get("scale").asDouble();
            for (var e : c.properties()) {
                if (!e.getValue().has("out")) {
                    continue;
                }
                boolean aligned = e.getKey().startsWith("aligned");
                int size = Integer.parseInt(e.getKey().substring(e.getKey().indexOf('_') + 1));
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = m.create(floats(c.get("features")), new Shape(shape(c.get("features"))));
                    x.setRequiresGradient(true);
                    Shape s = x.getShape();
                    NDArray y;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        y = RoiAlign.pool(RoiAlign.channelsLast(x), (int) s.get(2), (int) s.get(3), batch, boxes,
                                scale, size, size, 2, aligned);
                        NDArray up = m.create(floats(e.getValue().get("upstream")), y.getShape());
                        gc.backward(y.mul(up).sum());
                    }
                    assertClose(e.getKey() + " forward", floats(e.getValue().get("out")), y.toFloatArray(), 1e-5,
                            1e-5);
                    assertClose(e.getKey() + " backward", floats(e.getValue().get("grad")),
                            x.getGradient().toFloatArray(), 1e-5, 1e-5);
                    cases++;
                }
            }
        }
        assertEquals(8, cases);
    }

    @Test
    void multiScaleRoiAlignEqualsTorchvision() {
        JsonNode f = ops("multiscale");
        try (NDManager m = manager.newSubManager()) {
            List<NDArray> feats = new ArrayList<>();
            for (JsonNode a : f.get("features")) {
                feats.add(m.create(floats(a), new Shape(shape(a))));
            }
            List<float[]> boxes = new ArrayList<>();
            for (JsonNode b : f.get("boxes")) {
                boxes.add(floats(b));
            }
            int[][] sizes = new int[f.get("image_sizes").size()][];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = new int[] {f.get("image_sizes").get(i).get(0).asInt(),
                    f.get("image_sizes").get(i).get(1).asInt()};
            }
            NDArray out = new MultiScaleRoiAlign(7, 2, false).pool(MultiScaleRoiAlign.levels(feats, sizes), boxes);
            assertClose("multi-scale", floats(f.get("out")), out.toFloatArray(), 1e-5, 1e-5);
        }
    }

    @Test
    void lossesAndTheirGradientsEqualTorchvision() {
        JsonNode f = ops("losses");
        try (NDManager m = manager.newSubManager()) {
            // fastrcnn_loss
            NDArray logits = m.create(floats(f.get("class_logits")), new Shape(shape(f.get("class_logits"))));
            NDArray breg = m.create(floats(f.get("box_regression")), new Shape(shape(f.get("box_regression"))));
            logits.setRequiresGradient(true);
            breg.setRequiresGradient(true);
            int[] labels = ints(f.get("labels"));
            float[] targets = floats(f.get("targets"));
            int k = (int) logits.getShape().get(1);
            long[] cls = new long[labels.length];
            List<Long> pos = new ArrayList<>();
            List<Float> posTargets = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                cls[i] = (long) i * k + labels[i];
                if (labels[i] > 0) {
                    pos.add((long) i * k + labels[i]);
                    for (int j = 0; j < 4; j++) {
                        posTargets.add(targets[4 * i + j]);
                    }
                }
            }
            float lc;
            float lb;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray c = DetectionLosses.crossEntropyMean(logits, m.create(cls));
                NDArray pred = breg.reshape(-1, 4).get(m.create(pos.stream().mapToLong(Long::longValue).toArray()));
                NDArray y = m.create(toFloats(posTargets), new Shape(pos.size(), 4));
                NDArray b = DetectionLosses.smoothL1Sum(pred, y, 1f / 9, labels.length);
                lc = c.getFloat();
                lb = b.getFloat();
                gc.backward(c.add(b).add(b));
            }
            assertEquals(f.get("loss_classifier").asDouble(), lc, 1e-6);
            assertEquals(f.get("loss_box_reg").asDouble(), lb, 1e-6);
            assertClose("d classifier", floats(f.get("grad_logits")), logits.getGradient().toFloatArray(), 1e-7,
                    1e-5);
            assertClose("d box", floats(f.get("grad_box_regression")), breg.getGradient().toFloatArray(), 1e-7,
                    1e-5);

            // maskrcnn_loss: targets from the same masks as the mask-target fixture
            JsonNode mt = ops("mask_targets");
            byte[] masks = org.detcon.eval.detection.DetectionFixtures.bytesU1(mt.get("masks"));
            long[] ms = shape(mt.get("masks"));
            int h = (int) ms[1];
            int w = (int) ms[2];
            NDArray mlog = array(f.get("mask_logits"));
            mlog.setRequiresGradient(true);
            int[] mlab = ints(f.get("mask_labels"));
            int[] mmatch = ints(f.get("mask_matched"));
            float[] mboxes = floats(f.get("mask_boxes"));
            int n = mlab.length;
            int kk = (int) mlog.getShape().get(1);
            float[] tgt = new float[n * 784];
            long[] pick = new long[n];
            for (int i = 0; i < n; i++) {
                byte[] one = java.util.Arrays.copyOfRange(masks, mmatch[i] * h * w, (mmatch[i] + 1) * h * w);
                System.arraycopy(RoiAlign.alignMask(one, h, w, mboxes, i, 28, -1, false), 0, tgt, i * 784, 784);
                pick[i] = (long) i * kk + mlab[i];
            }
            float lm;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = mlog.reshape(-1, 28, 28).get(m.create(pick));
                NDArray loss = DetectionLosses.bceWithLogitsMean(pred, m.create(tgt, new Shape(n, 28, 28)));
                lm = loss.getFloat();
                gc.backward(loss);
            }
            assertEquals(f.get("loss_mask").asDouble(), lm, 1e-6);
            assertClose("d mask", floats(f.get("grad_mask_logits")), mlog.getGradient().toFloatArray(), 1e-9, 1e-4);

            // the RPN's losses over a sample
            NDArray obj = array(f.get("objectness"));
            NDArray dlt = array(f.get("deltas"));
            obj.setRequiresGradient(true);
            dlt.setRequiresGradient(true);
            float[] olab = floats(f.get("objectness_labels"));
            float[] dtar = floats(f.get("delta_targets"));
            List<Long> rpos = new ArrayList<>();
            List<Float> rt = new ArrayList<>();
            for (int i = 0; i < olab.length; i++) {
                if (olab[i] > 0) {
                    rpos.add((long) i);
                    for (int j = 0; j < 4; j++) {
                        rt.add(dtar[4 * i + j]);
                    }
                }
            }
            float lo;
            float lr;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray a = DetectionLosses.bceWithLogitsMean(obj, m.create(olab));
                NDArray pred = dlt.get(m.create(rpos.stream().mapToLong(Long::longValue).toArray()));
                NDArray b = DetectionLosses.smoothL1Sum(pred, m.create(toFloats(rt), new Shape(rpos.size(), 4)),
                        1f / 9, olab.length);
                lo = a.getFloat();
                lr = b.getFloat();
                gc.backward(a.add(b));
            }
            assertEquals(f.get("loss_objectness").asDouble(), lo, 1e-6);
            assertEquals(f.get("loss_rpn_box_reg").asDouble(), lr, 1e-6);
            assertClose("d objectness", floats(f.get("grad_objectness")), obj.getGradient().toFloatArray(), 1e-8,
                    1e-5);
            assertClose("d deltas", floats(f.get("grad_deltas")), dlt.getGradient().toFloatArray(), 1e-8, 1e-5);
        }
    }

    private static float[] toFloats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
