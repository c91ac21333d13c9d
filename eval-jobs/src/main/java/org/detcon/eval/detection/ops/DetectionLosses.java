package org.detcon.eval.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.detcon.trainer.engine.Torch;

/**
 * The detector's loss functions, with PyTorch's definitions (differentiable DJL ops). Constants enter through
 * {@link Torch#scalar} (arrays that outlive the backward pass), never DJL's {@code mul(Number)}.
 */
public final class DetectionLosses {

    private DetectionLosses() {
    }

    /**
     * {@code F.smooth_l1_loss(x, y, beta, reduction="sum") / divisor}: Σ (|d| &lt; β ? ½d²/β : |d| − ½β) / divisor,
     * d = x − y.
     */
    public static NDArray smoothL1Sum(NDArray x, NDArray y, float beta, double divisor) {
        NDArray d = x.sub(y).abs();
        NDArray quad = d.square().mul(Torch.scalar(d, 0.5 / beta));
        NDArray lin = d.sub(Torch.scalar(d, 0.5 * beta));
        return NDArrays.where(d.lt(Torch.scalar(d, beta)), quad, lin).sum().div(Torch.scalar(d, divisor));
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

    /** A zero loss that still depends on {@code x} (so every parameter before it gets a zero gradient). */
    public static NDArray zero(NDArray x) {
        return x.sum().mul(Torch.scalar(x, 0));
    }
}
