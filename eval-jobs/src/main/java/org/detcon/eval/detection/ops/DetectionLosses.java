package org.detcon.eval.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/** The detector's loss functions, with PyTorch's definitions (differentiable DJL ops). */
public final class DetectionLosses {

    private DetectionLosses() {
    }

    /**
     * {@code F.smooth_l1_loss(x, y, beta, reduction="sum")}: Σ (|d| &lt; β ? ½d²/β : |d| − ½β), d = x − y.
     */
    public static NDArray smoothL1Sum(NDArray x, NDArray y, float beta) {
        NDArray d = x.sub(y).abs();
        NDArray quad = d.square().mul(0.5f / beta);
        NDArray lin = d.sub(0.5f * beta);
        return NDArrays.where(d.lt(beta), quad, lin).sum();
    }

    /**
     * {@code F.binary_cross_entropy_with_logits(x, y)} (mean): softplus(x) − x·y, softplus as PyTorch's
     * ({@code log1p(exp(x))}, x itself above 20).
     */
    public static NDArray bceWithLogitsMean(NDArray x, NDArray y) {
        return x.getNDArrayInternal().softPlus().sub(x.mul(y)).mean();
    }

    /**
     * {@code F.cross_entropy(logits, labels)} (mean over rows): −log softmax(logits)[r, labels[r]].
     *
     * @param logits {@code [R, K]}
     * @param flatIndex {@code r·K + labels[r]} for every row r, int64 {@code [R]}
     */
    public static NDArray crossEntropyMean(NDArray logits, NDArray flatIndex) {
        return logits.logSoftmax(1).reshape(-1).get(flatIndex).mean().neg();
    }
}
