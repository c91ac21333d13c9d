package org.detcon.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ResNet v1.5 built from DJL layers (DJL's own {@code ResNetV1} is not a torchvision ResNet): 7×7/2 stem conv → BN
 * → ReLU → 3×3/2 max pool → four stages (64, 128, 256, 512 channels × width; stages 2–4 start with stride 2),
 * each block ending in BN → add shortcut → ReLU. v1.5: in bottleneck blocks the stride sits on the 3×3 conv.
 * Convs have no bias; projection shortcuts (1×1 conv + BN) where shape changes. The last BN γ of every residual
 * branch starts at zero. Conv weights: He normal, fan-out (torchvision). No global pooling and no fc: the output
 * is the feature map [N, C, H/32, W/32].
 *
 * <p>The dilated variant ({@link #build(ResNetConfig, int)} with output stride 16, the segmentation protocols'
 * backbone) has the same blocks and parameters: the last stage keeps stride 1 and dilates its later 3×3
 * convolutions by 2, as torchvision's {@code replace_stride_with_dilation=[False, False, True]} (the first block's
 * strided convolution keeps dilation 1; basic blocks, which torchvision does not dilate, follow the same rule: the
 * first block's first 3×3 keeps dilation 1, every later 3×3 of the stage has dilation 2). In inference mode its
 * output at even positions equals the plain network's output.
 */
public final class ResNet {

    private ResNet() {
    }

    /** The backbone and the batch norms whose γ starts at zero (one per residual block). */
    public record Backbone(SequentialBlock block, ResNetConfig config, List<BatchNorm> zeroInitNorms) {
    }

    public static Backbone build(ResNetConfig config) {
        return build(config, ResNetConfig.stride());
    }

    /** The backbone at output stride 32 (plain) or 16 (last stage dilated, same parameters). */
    public static Backbone build(ResNetConfig config, int outputStride) {
        if (outputStride != 32 && outputStride != 16) {
            throw new IllegalArgumentException("output stride must be 32 or 16, got " + outputStride);
        }
        List<BatchNorm> zero = new ArrayList<>();
        int w = config.width();
        SequentialBlock net = new SequentialBlock()
                .add(conv(64 * w, 7, 2))
                .add(bn())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int in = 64 * w;
        int[] blocks = config.blocksPerStage();
        for (int stage = 0; stage < 4; stage++) {
            int c = 64 * w << stage;
            boolean dilated = stage == 3 && outputStride == 16;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 && !dilated ? 2 : 1;
                int out = config.bottleneck() ? 4 * c : c;
                // dilation of the block's first 3x3 (the strided one in the first block) and of its other 3x3s
                int first = dilated && b > 0 ? 2 : 1;
                int rest = dilated ? 2 : 1;
                net.add(residual(in, c, out, stride, first, rest, config.bottleneck(), zero));
                in = out;
            }
        }
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        for (BatchNorm n : zero) {
            n.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
        }
        return new Backbone(net, config, List.copyOf(zero));
    }

    private static Block residual(int in, int c, int out, int stride, int firstDilation, int dilation,
            boolean bottleneck, List<BatchNorm> zero) {
        SequentialBlock main = new SequentialBlock();
        BatchNorm last = bn();
        if (bottleneck) {
            main.add(conv(c, 1, 1)).add(bn()).add(Activation.reluBlock())
                    .add(conv(c, 3, stride, firstDilation)).add(bn()).add(Activation.reluBlock())
                    .add(conv(out, 1, 1)).add(last);
        } else {
            main.add(conv(c, 3, stride, firstDilation)).add(bn()).add(Activation.reluBlock())
                    .add(conv(out, 3, 1, dilation)).add(last);
        }
        zero.add(last);
        Block shortcut = stride != 1 || in != out
                ? new SequentialBlock().add(conv(out, 1, stride)).add(bn())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(list.get(0).singletonOrThrow()
                        .add(list.get(1).singletonOrThrow())), Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }

    static Conv2d conv(int filters, int k, int stride) {
        return conv(filters, k, stride, 1);
    }

    /** A k×k convolution without bias, padded to keep the size (at stride 1) whatever the dilation. */
    public static Conv2d conv(int filters, int k, int stride, int dilation) {
        Conv2d.Builder b = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(k, k))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(dilation * (k / 2), dilation * (k / 2)))
                .optBias(false);
        if (dilation != 1) {
            b.optDilation(new Shape(dilation, dilation));
        }
        return b.build();
    }

    /** Batch norm as the backbone's (momentum 0.9 in DJL's convention, i.e. PyTorch's 0.1; ε 1e-5). */
    public static BatchNorm bn() {
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }
}
