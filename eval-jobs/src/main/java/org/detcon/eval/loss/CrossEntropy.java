package org.detcon.eval.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Per-pixel softmax cross-entropy ignoring a label value, as PyTorch's {@code cross_entropy(ignore_index=255,
 * reduction="mean")}: the mean over the pixels whose label is not ignored of −log softmax(logits)[label] (0 when
 * every pixel is ignored).
 */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    /**
     * @param logits [N, K, H, W]
     * @param labels [N, H, W] integer class ids in [0, K) or {@code ignore}
     */
    public static NDArray loss(NDArray logits, NDArray labels, int ignore) {
        NDArray valid = labels.neq(ignore);
        NDArray safe = labels.mul(valid.toType(labels.getDataType(), false)).toType(DataType.INT64, false);
        NDArray logp = logits.logSoftmax(1).gather(safe.expandDims(1), 1).squeeze(1);
        NDArray mask = valid.toType(logits.getDataType(), false);
        NDArray count = mask.sum().maximum(1f);
        return logp.mul(mask).sum().neg().div(count);
    }
}
