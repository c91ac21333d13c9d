package org.detcon.eval.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.detcon.eval.finetune.FinetuneConfigYaml;
import org.detcon.eval.finetune.FinetuneLearner;
import org.detcon.eval.finetune.Prepared;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNetConfig;
import org.junit.jupiter.api.Test;

/**
 * What one fine-tuning step changes in each backbone mode: {@code finetune} every parameter (batch-norm running
 * statistics included); {@code frozen_bn} the backbone's convolutions but none of its batch-norm parameters or
 * statistics; {@code frozen} nothing of the backbone; the head always.
 */
class BackboneModeTest {

    private static Map<String, float[]> snapshot(TaskNet net, boolean backbone) {
        Map<String, float[]> out = new TreeMap<>();
        for (Pair<String, Parameter> p : (backbone ? net.backbone().block() : net.head()).getParameters()) {
            out.put(p.getKey() + "|" + p.getValue().getType(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void whatAStepChangesInEachMode() throws IOException {
        List<Prepared> batch = new ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 2; i++) {
            float[] img = new float[3 * 32 * 32];
            int[] labels = new int[32 * 32];
            for (int k = 0; k < img.length; k++) {
                img[k] = (float) r.nextGaussian();
            }
            for (int k = 0; k < labels.length; k++) {
                labels[k] = r.nextInt(3);
            }
            batch.add(new Prepared("s" + i, 32, 32, img, labels, null));
        }
        for (String mode : new String[] {"finetune", "frozen_bn", "frozen"}) {
            ObjectNode tree = JsonNodeFactory.instance.objectNode().put("task", "voc-seg").put("batch_size", 2)
                    .put("steps", 10);
            tree.putObject("backbone").put("depth", 18).put("mode", mode);
            tree.putObject("head").put("channels", 8).put("dilation", 2);
            tree.putObject("data").putArray("crop").add(32).add(32);
            Torch.engine().setRandomSeed(1);
            try (FinetuneLearner l = new FinetuneLearner(FinetuneConfigYaml.parse(tree, mode, "unused"),
                    new ResNetConfig(18, 1), null, 3, 10, "test")) {
                Map<String, float[]> before = snapshot(l.net(), true);
                Map<String, float[]> headBefore = snapshot(l.net(), false);
                l.step(batch);
                Map<String, float[]> after = snapshot(l.net(), true);
                for (String k : before.keySet()) {
                    boolean norm = k.endsWith("GAMMA") || k.endsWith("BETA") || k.endsWith("RUNNING_MEAN")
                            || k.endsWith("RUNNING_VAR");
                    boolean changed = !Arrays.equals(before.get(k), after.get(k));
                    boolean expected = mode.equals("finetune") || (mode.equals("frozen_bn") && !norm);
                    if (expected) {
                        // zero-initialised γ of residual branches may legitimately stay where the gradient is 0
                        if (!k.endsWith("GAMMA") && !k.endsWith("BETA")) {
                            assertFalse(!changed, mode + ": " + k + " did not change");
                        }
                    } else {
                        assertArrayEquals(before.get(k), after.get(k), mode + ": " + k + " changed");
                    }
                }
                Map<String, float[]> headAfter = snapshot(l.net(), false);
                String w = headBefore.keySet().stream().filter(k -> k.endsWith("WEIGHT")).findFirst().orElseThrow();
                assertFalse(Arrays.equals(headBefore.get(w), headAfter.get(w)), mode + ": the head did not train");
            }
        }
    }
}
