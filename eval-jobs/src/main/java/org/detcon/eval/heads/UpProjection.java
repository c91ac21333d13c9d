package org.detcon.eval.heads;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;
import org.detcon.trainer.model.ResNet;

/**
 * Laina et al.'s fast up-projection block (2× upsampling, {@code in → out} channels):
 * <pre>
 *   branch 1: up-convolution 5×5 → BN → ReLU → conv 3×3 → BN
 *   branch 2: up-convolution 5×5 → BN
 *   out = ReLU(branch 1 + branch 2)
 * </pre>
 * with each up-convolution a {@link FastUpConv} (unpooling + 5×5 convolution, computed without the zeros).
 * Convolutions have no bias (batch norm follows each).
 */
public final class UpProjection {

    private UpProjection() {
    }

    public static Block build(int out) {
        SequentialBlock main = new SequentialBlock()
                .add(new FastUpConv(out)).add(ResNet.bn()).add(Activation.reluBlock())
                .add(ResNet.conv(out, 3, 1, 1)).add(ResNet.bn());
        SequentialBlock projection = new SequentialBlock().add(new FastUpConv(out)).add(ResNet.bn());
        return new ParallelBlock(list -> new NDList(Activation.relu(list.get(0).singletonOrThrow()
                .add(list.get(1).singletonOrThrow()))), Arrays.asList(main, projection));
    }
}
