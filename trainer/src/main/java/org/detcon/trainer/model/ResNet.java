package org.detcon.trainer.model;

import ai.djl.ndarray.NDArray;
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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

        /**
         * The outputs of the four stages (C2..C5, strides 4, 8, 16, 32; what an FPN takes) for images
         * {@code [N, 3, H, W]}: the same computation as {@code block().forward}, stopping at each stage's end.
         */
        public NDList stages(ParameterStore ps, NDArray images, boolean training) {
            NDList out = new NDList(4);
            NDList x = new NDList(images);
            int[] blocks = config.blocksPerStage();
            int end = STEM_CHILDREN + blocks[0];
            int stage = 0;
            int i = 0;
            for (Block child : block.getChildren().values()) {
                x = child.forward(ps, x, training);
                i++;
                if (i == end) {
                    out.add(x.singletonOrThrow());
                    stage++;
                    end += stage < 4 ? blocks[stage] : 0;
                }
            }
            return out;
        }

        /** Channels of C2..C5. */
        public int[] stageChannels() {
            int[] c = new int[4];
            for (int s = 0; s < 4; s++) {
                c[s] = (64 * config.width() << s) * (config.bottleneck() ? 4 : 1);
            }
            return c;
        }

        /**
         * The parameters by the names torchvision's {@code ResNet} gives them in a state dict ({@code conv1.weight},
         * {@code bn1.running_mean}, {@code layer1.0.conv2.weight}, {@code layer2.0.downsample.1.bias}, ...), each
         * prefixed with {@code prefix}; for loading torchvision weights and for checks against torchvision.
         */
        public Map<String, Parameter> torchvisionNames(String prefix) {
            Map<String, Parameter> out = new LinkedHashMap<>();
            List<Block> children = new ArrayList<>(block.getChildren().values());
            putConv(out, prefix + "conv1", children.get(0));
            putNorm(out, prefix + "bn1", children.get(1));
            int[] blocks = config.blocksPerStage();
            int c = STEM_CHILDREN;
            for (int s = 0; s < 4; s++) {
                for (int b = 0; b < blocks[s]; b++) {
                    String name = prefix + "layer" + (s + 1) + "." + b + ".";
                    Block parallel = children.get(c++).getChildren().values().get(0);
                    Block main = parallel.getChildren().values().get(0);
                    Block shortcut = parallel.getChildren().values().get(1);
                    int convs = 0;
                    int norms = 0;
                    for (Block layer : main.getChildren().values()) {
                        if (layer instanceof Conv2d) {
                            putConv(out, name + "conv" + (++convs), layer);
                        } else if (layer instanceof BatchNorm) {
                            putNorm(out, name + "bn" + (++norms), layer);
                        }
                    }
                    if (shortcut instanceof SequentialBlock) {
                        putConv(out, name + "downsample.0", shortcut.getChildren().values().get(0));
                        putNorm(out, name + "downsample.1", shortcut.getChildren().values().get(1));
                    }
                }
            }
            return out;
        }

        private static void putConv(Map<String, Parameter> out, String name, Block conv) {
            for (Pair<String, Parameter> p : conv.getParameters()) {
                out.put(name + (p.getValue().getType() == Parameter.Type.WEIGHT ? ".weight" : ".bias"),
                        p.getValue());
            }
        }

        private static void putNorm(Map<String, Parameter> out, String name, Block norm) {
            for (Pair<String, Parameter> p : norm.getParameters()) {
                String suffix = switch (p.getValue().getType()) {
                    case GAMMA -> ".weight";
                    case BETA -> ".bias";
                    case RUNNING_MEAN -> ".running_mean";
                    case RUNNING_VAR -> ".running_var";
                    default -> throw new IllegalStateException("unexpected batch-norm parameter " + p.getKey());
                };
                out.put(name + suffix, p.getValue());
            }
        }
    }

    /** Children of the backbone before the first residual block: conv, BN, ReLU, max pool. */
    private static final int STEM_CHILDREN = 4;

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
