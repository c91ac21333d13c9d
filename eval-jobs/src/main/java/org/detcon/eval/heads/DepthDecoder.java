package org.detcon.eval.heads;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import org.detcon.trainer.model.ResNet;

/**
 * Laina et al.'s depth decoder on a ResNet (detcon-spec.md section 7a): a 1×1 convolution halving the backbone's
 * channels (2048 → 1024 for ResNet-50) with batch norm, four {@link UpProjection} blocks (512, 256, 128, 64
 * channels: 16× upsampling, to half the input resolution) and a 3×3 prediction convolution with bias to one
 * channel (depth in metres). Upsampling to the input is {@link TaskNet}'s.
 */
public final class DepthDecoder {

    private DepthDecoder() {
    }

    public static SequentialBlock build(int featureChannels, int[] channels) {
        SequentialBlock d = new SequentialBlock()
                .add(ResNet.conv(featureChannels / 2, 1, 1, 1)).add(ResNet.bn());
        for (int c : channels) {
            d.add(UpProjection.build(c));
        }
        return d.add(Conv2d.builder().setFilters(1).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .optBias(true).build());
    }
}
