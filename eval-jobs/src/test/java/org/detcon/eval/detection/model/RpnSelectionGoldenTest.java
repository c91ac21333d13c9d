package org.detcon.eval.detection.model;

import static org.detcon.eval.detection.DetectionFixtures.assertClose;
import static org.detcon.eval.detection.DetectionFixtures.floats;
import static org.detcon.eval.detection.DetectionFixtures.ops;
import static org.detcon.eval.detection.DetectionFixtures.shape;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.eval.detection.ops.AnchorGenerator;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

/**
 * RPN proposal selection (top-k per level, decode, clip, small-box removal, per-level NMS, top-n) against
 * torchvision's {@code RegionProposalNetwork} on random head outputs (fixture: ops.json "rpn_select").
 */
class RpnSelectionGoldenTest {

    @Test
    void proposalsPerImageEqualTorchvision() {
        JsonNode f = ops("rpn_select");
        MaskRcnnConfig.Rpn cfg = new MaskRcnnConfig.Rpn(2000, f.get("pre_nms_top_n").asInt(), 2000,
                f.get("post_nms_top_n").asInt(), f.get("nms").asDouble(), 0.7, 0.3, 256, 0.5);
        RegionProposalNetwork rpn = new RegionProposalNetwork(cfg,
                new AnchorGenerator(new int[] {32, 64, 128, 256, 512}, new double[] {0.5, 1, 2}));
        int[][] sizes = {{f.get("image_sizes").get(0).get(0).asInt(), f.get("image_sizes").get(0).get(1).asInt()},
            {f.get("image_sizes").get(1).get(0).asInt(), f.get("image_sizes").get(1).get(1).asInt()}};
        try (NDManager m = Torch.newManager()) {
            NDList head = new NDList();
            for (JsonNode a : f.get("objectness")) {
                head.add(m.create(floats(a), new Shape(shape(a))));
            }
            for (JsonNode a : f.get("deltas")) {
                head.add(m.create(floats(a), new Shape(shape(a))));
            }
            RegionProposalNetwork.Output out = rpn.forward(head, f.get("padded").get(0).asInt(),
                    f.get("padded").get(1).asInt(), sizes, false);
            for (int i = 0; i < 2; i++) {
                assertClose("proposals " + i, floats(f.get("proposals").get(i)), out.proposals().get(i), 1e-4,
                        1e-6);
                assertClose("scores " + i, floats(f.get("scores").get(i)), out.scores().get(i), 1e-7, 1e-6);
            }
        }
    }
}
