package org.detcon.trainer.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/** Builds the projector / predictor MLPs of {@link HeadConfig}; input [N, D] → [N, out]. */
public final class Heads {

    private Heads() {
    }

    public static SequentialBlock mlp(HeadConfig c) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(c.hidden()).optBias(true).build())
                .add(BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(c.out()).optBias(false).build());
    }
}
