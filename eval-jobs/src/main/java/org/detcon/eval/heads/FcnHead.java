package org.detcon.eval.heads;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import org.detcon.trainer.model.ResNet;

/**
 * The segmentation protocols' FCN head (detcon-spec.md section 7a): two 3×3 convolutions of {@code channels}
 * (256) at dilation {@code dilation} (6), each followed by batch norm and ReLU, then a 1×1 classifier with bias to
 * {@code classes} logits. Upsampling to the input is {@link TaskNet}'s.
 */
public final class FcnHead {

    private FcnHead() {
    }

    public static SequentialBlock build(int channels, int dilation, int classes) {
        return new SequentialBlock()
                .add(ResNet.conv(channels, 3, 1, dilation)).add(ResNet.bn()).add(Activation.reluBlock())
                .add(ResNet.conv(channels, 3, 1, dilation)).add(ResNet.bn()).add(Activation.reluBlock())
                .add(Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).optBias(true).build());
    }
}
