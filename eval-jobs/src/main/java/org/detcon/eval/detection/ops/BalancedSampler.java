package org.detcon.eval.detection.ops;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code BalancedPositiveNegativeSampler}: per image, at most {@code ⌊batch·fraction⌋} positives
 * (label ≥ 1) and the rest of {@code batch} negatives (label 0), each drawn uniformly without replacement; label −1
 * is never drawn. The draw uses the caller's generator (torch's {@code randperm} stream is not reproduced).
 */
public record BalancedSampler(int batchSizePerImage, double positiveFraction) {

    public BalancedSampler {
        if (batchSizePerImage <= 0 || !(positiveFraction >= 0 && positiveFraction <= 1)) {
            throw new IllegalArgumentException("need batch > 0 and 0 <= positive fraction <= 1, got "
                    + batchSizePerImage + ", " + positiveFraction);
        }
    }

    /** Drawn indices, each list in ascending index order. */
    public record Sample(int[] positives, int[] negatives) {
    }

    public Sample sample(int[] labels, RandomGenerator rng) {
        int nPos = 0;
        int nNeg = 0;
        for (int l : labels) {
            if (l >= 1) {
                nPos++;
            } else if (l == 0) {
                nNeg++;
            }
        }
        int[] pos = new int[nPos];
        int[] neg = new int[nNeg];
        int p = 0;
        int q = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 1) {
                pos[p++] = i;
            } else if (labels[i] == 0) {
                neg[q++] = i;
            }
        }
        int takePos = Math.min(nPos, (int) (batchSizePerImage * positiveFraction));
        int takeNeg = Math.min(nNeg, batchSizePerImage - takePos);
        return new Sample(draw(pos, takePos, rng), draw(neg, takeNeg, rng));
    }

    /** {@code k} of {@code from} without replacement (partial Fisher–Yates), returned sorted. */
    private static int[] draw(int[] from, int k, RandomGenerator rng) {
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(from.length - i);
            int t = from[i];
            from[i] = from[j];
            from[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(from, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
