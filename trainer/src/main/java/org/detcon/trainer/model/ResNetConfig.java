package org.detcon.trainer.model;

/**
 * A ResNet v1.5 backbone: depth ∈ {18, 34, 50, 101, 152, 200}, width multiplier ∈ {1, 2} (every channel count,
 * the stem's included, is multiplied, as in BYOL/SimCLR's wide ResNets).
 */
public record ResNetConfig(int depth, int width) {

    public ResNetConfig {
        if (blocks(depth) == null) {
            throw new IllegalArgumentException("ResNet depth must be 18, 34, 50, 101, 152 or 200, got " + depth);
        }
        if (width != 1 && width != 2) {
            throw new IllegalArgumentException("width multiplier must be 1 or 2, got " + width);
        }
    }

    public static ResNetConfig resnet50() {
        return new ResNetConfig(50, 1);
    }

    /** Residual blocks per stage. */
    public int[] blocksPerStage() {
        return blocks(depth).clone();
    }

    /** Bottleneck blocks (depth ≥ 50) or basic blocks (18, 34). */
    public boolean bottleneck() {
        return depth >= 50;
    }

    /** Channels of the final feature map (512·w for 18/34, 2048·w otherwise). */
    public int featureChannels() {
        return 512 * width * (bottleneck() ? 4 : 1);
    }

    /** Total downsampling of the backbone (feature grid = input / 32). */
    public static int stride() {
        return 32;
    }

    private static int[] blocks(int depth) {
        return switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34, 50 -> new int[] {3, 4, 6, 3};
            case 101 -> new int[] {3, 4, 23, 3};
            case 152 -> new int[] {3, 8, 36, 3};
            case 200 -> new int[] {3, 24, 36, 3};
            default -> null;
        };
    }
}
