package org.detcon.eval.finetune;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a fine-tuning job treats the pretrained backbone ({@code backbone.mode} in every fine-tuning recipe):
 * <ul>
 *   <li>{@code finetune}: every layer trains and batch norm uses batch statistics (and updates its running ones), as
 *       the paper fine-tunes with cross-replica batch norm;</li>
 *   <li>{@code frozen_bn}: convolutions train, batch norm uses its running statistics and its scale and shift stay
 *       fixed (detectron2's FrozenBN);</li>
 *   <li>{@code frozen}: the backbone is a fixed feature extractor (no gradient reaches it); only the task head
 *       trains (the frozen-feature protocol, the paper's Table 4).</li>
 * </ul>
 * The dense fine-tuning tasks ({@code eval.heads.TaskNet}) and the detector ({@code eval.detection}) share it.
 */
public enum BackboneMode {
    FINETUNE, FROZEN_BN, FROZEN;

    /** Whether batch norm runs on batch statistics. */
    public boolean batchStatistics() {
        return this == FINETUNE;
    }

    /**
     * Fixes the parameters of {@code backbone} this mode does not train (call after its weights are loaded): the
     * batch-norm parameters for {@code frozen_bn}, all of them for {@code frozen}.
     */
    public void freeze(Block backbone) {
        for (Pair<String, Parameter> p : backbone.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            boolean norm = t == Parameter.Type.GAMMA || t == Parameter.Type.BETA
                    || t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR;
            if (this == FROZEN || (this == FROZEN_BN && norm)) {
                p.getValue().freeze(true);
            }
        }
    }

    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackboneMode of(String key) {
        for (BackboneMode m : values()) {
            if (m.key().equals(key.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("backbone.mode: must be finetune, frozen_bn or frozen, got '" + key + "'");
    }
}
