package org.detcon.eval.detection.ops;

/**
 * The FPN level of a region (Lin et al., eq. 1; torchvision's {@code LevelMapper}):
 * {@code k = clamp(⌊k0 + log2(√area / s0) + 1e-6⌋, kMin, kMax)} with {@code k0 = 4}, {@code s0 = 224}; returns
 * {@code k − kMin}, the index into the pooled levels. float32 arithmetic.
 */
public record LevelMapper(int kMin, int kMax, int canonicalScale, int canonicalLevel) {

    private static final float EPS = 1e-6f;

    public LevelMapper {
        if (kMin > kMax) {
            throw new IllegalArgumentException("kMin " + kMin + " > kMax " + kMax);
        }
    }

    /** torchvision's defaults for levels kMin..kMax (s0 = 224, k0 = 4). */
    public static LevelMapper of(int kMin, int kMax) {
        return new LevelMapper(kMin, kMax, 224, 4);
    }

    /** The level index (0 = kMin) of box i of {@code boxes}. */
    public int level(float[] boxes, int i) {
        float s = (float) Math.sqrt(Boxes.area(boxes, i));
        float lg = (float) (Math.log((double) (s / canonicalScale)) / Math.log(2.0));
        float k = (float) Math.floor(canonicalLevel + lg + EPS);
        k = Math.min(Math.max(k, kMin), kMax);
        return (int) k - kMin;
    }
}
