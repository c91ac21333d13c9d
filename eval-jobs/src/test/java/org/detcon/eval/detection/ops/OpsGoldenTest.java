package org.detcon.eval.detection.ops;

import static org.detcon.eval.detection.DetectionFixtures.assertClose;
import static org.detcon.eval.detection.DetectionFixtures.floats;
import static org.detcon.eval.detection.DetectionFixtures.ints;
import static org.detcon.eval.detection.DetectionFixtures.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Host-side ops against torchvision 0.14 (fixture: ops.json, tools/fixtures/make_detection_fixtures.py). */
class OpsGoldenTest {

    @Test
    void anchorsPerLevelEqualTorchvision() {
        for (String key : new String[] {"anchors", "anchors_odd"}) {
            JsonNode f = ops(key);
            int[] sizes = new int[f.get("sizes").size()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = f.get("sizes").get(i).asInt();
            }
            double[] ratios = new double[f.get("ratios").size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = f.get("ratios").get(i).asDouble();
            }
            AnchorGenerator g = new AnchorGenerator(sizes, ratios);
            int ph = f.get("padded").get(0).asInt();
            int pw = f.get("padded").get(1).asInt();
            float[] expected = floats(f.get("anchors"));
            int off = 0;
            for (int l = 0; l < sizes.length; l++) {
                int gh = f.get("grids").get(l).get(0).asInt();
                int gw = f.get("grids").get(l).get(1).asInt();
                float[] a = g.anchors(l, gh, gw, ph / gh, pw / gw);
                float[] e = java.util.Arrays.copyOfRange(expected, off, off + a.length);
                assertArrayEquals(e, a, key + " level " + l);
                off += a.length;
            }
            assertEquals(expected.length, off);
        }
    }

    @Test
    void boxCoderEncodesAndDecodesAsTorchvision() {
        JsonNode f = ops("box_coder");
        float[] props = floats(f.get("proposals"));
        float[] targets = floats(f.get("targets"));
        int n = Boxes.count(props);
        for (String key : new String[] {"rpn", "roi"}) {
            JsonNode c = f.get(key);
            JsonNode w = c.get("weights");
            BoxCoder coder = new BoxCoder((float) w.get(0).asDouble(), (float) w.get(1).asDouble(),
                    (float) w.get(2).asDouble(), (float) w.get(3).asDouble());
            float[] enc = new float[4 * n];
            for (int i = 0; i < n; i++) {
                coder.encode(targets, i, props, i, enc, 4 * i);
            }
            assertClose(key + " encode", floats(c.get("encoded")), enc, 1e-6, 1e-6);
            float[] deltas = floats(c.get("deltas"));
            int k = deltas.length / (4 * n);
            float[] dec = new float[deltas.length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    coder.decode(deltas, 4 * (i * k + j), props, i, dec, 4 * (i * k + j));
                }
            }
            assertClose(key + " decode", floats(c.get("decoded")), dec, 1e-5, 1e-6);
        }
    }

    @Test
    void matcherWithAndWithoutLowQualityMatchesEqualsTorchvision() {
        JsonNode f = ops("matcher");
        float[] gt = floats(f.get("gt"));
        float[] boxes = floats(f.get("boxes"));
        assertArrayEquals(floats(f.get("iou")), Boxes.iou(gt, boxes));
        assertArrayEquals(ints(f.get("rpn")), new Matcher(0.7f, 0.3f, true).match(gt, boxes));
        assertArrayEquals(ints(f.get("roi")), new Matcher(0.5f, 0.5f, false).match(gt, boxes));
    }

    @Test
    void nmsEqualsTorchvisionIncludingTiesAndGroups() {
        JsonNode f = ops("nms");
        float[] b = floats(f.get("boxes"));
        float[] s = floats(f.get("scores"));
        assertArrayEquals(ints(f.get("keep_05")), Nms.nms(b, s, 0.5));
        assertArrayEquals(ints(f.get("keep_07")), Nms.nms(b, s, 0.7));
        assertArrayEquals(ints(f.get("batched_05")), Nms.batched(b, s, ints(f.get("groups")), 0.5));
        assertArrayEquals(ints(f.get("big_batched_07")), Nms.batched(floats(f.get("big_boxes")),
                floats(f.get("big_scores")), ints(f.get("big_groups")), 0.7));
    }

    @Test
    void nmsOfNothingIsNothing() {
        assertEquals(0, Nms.nms(new float[0], new float[0], 0.5).length);
        assertEquals(0, Nms.batched(new float[0], new float[0], new int[0], 0.5).length);
    }

    @Test
    void levelMapperEqualsTorchvision() {
        JsonNode f = ops("level_mapper");
        float[] b = floats(f.get("boxes"));
        int[] expected = ints(f.get("levels"));
        LevelMapper m = LevelMapper.of(2, 5);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], m.level(b, i), "box " + i);
        }
    }

    @Test
    void maskTargetsEqualProjectMasksOnBoxes() {
        JsonNode f = ops("mask_targets");
        byte[] masks = org.detcon.eval.detection.DetectionFixtures.bytesU1(f.get("masks"));
        long[] shape = org.detcon.eval.detection.DetectionFixtures.shape(f.get("masks"));
        int h = (int) shape[1];
        int w = (int) shape[2];
        float[] boxes = floats(f.get("boxes"));
        int[] matched = ints(f.get("matched"));
        float[] expected = floats(f.get("targets"));
        for (int i = 0; i < matched.length; i++) {
            byte[] m = java.util.Arrays.copyOfRange(masks, matched[i] * h * w, (matched[i] + 1) * h * w);
            float[] t = RoiAlign.alignMask(m, h, w, boxes, i, 28, -1, false);
            assertClose("mask target " + i, java.util.Arrays.copyOfRange(expected, i * 784, (i + 1) * 784), t, 1e-6,
                    1e-5);
        }
    }

    @Test
    void maskPastingEqualsPasteMasksInImage() {
        JsonNode f = ops("paste");
        float[] masks = floats(f.get("masks"));
        float[] boxes = floats(f.get("boxes"));
        int h = f.get("height").asInt();
        int w = f.get("width").asInt();
        float[] expected = floats(f.get("pasted"));
        float[] out = new float[h * w];
        for (int i = 0; i < Boxes.count(boxes); i++) {
            MaskPaste.paste(java.util.Arrays.copyOfRange(masks, i * 784, (i + 1) * 784), 28, boxes, i, h, w, out);
            assertClose("pasted " + i, java.util.Arrays.copyOfRange(expected, i * h * w, (i + 1) * h * w), out,
                    1e-6, 1e-5);
        }
    }
}
