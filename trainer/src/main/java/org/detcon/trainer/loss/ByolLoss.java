package org.detcon.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.detcon.trainer.engine.Torch;

/**
 * The BYOL regression loss (detcon-spec.md section 5, baselines): 2 − 2·cos(p, t) per image, batch mean, both
 * directions summed: {@code mean(2 − 2 cos(p1, t2)) + mean(2 − 2 cos(p2, t1))}. Inputs are [B, D] (or [B, ..., D],
 * the mean then runs over every leading position). Targets get a stop-gradient.
 */
public final class ByolLoss {

    private ByolLoss() {
    }

    public static NDArray compute(NDArray p1, NDArray p2, NDArray t1, NDArray t2) {
        return regression(p1, t2.stopGradient()).add(regression(p2, t1.stopGradient()));
    }

    static NDArray regression(NDArray p, NDArray t) {
        if (!p.getShape().equals(t.getShape())) {
            throw new IllegalArgumentException("shape mismatch: " + p.getShape() + " vs " + t.getShape());
        }
        DataType dt = p.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray cos = DetConLoss.normalize(p.toType(dt, false)).mul(DetConLoss.normalize(t.toType(dt, false)))
                .sum(new int[] {-1});
        // constants through Torch.scalar: DJL's mul(Number) frees its scalar before the backward pass reads it
        return cos.mul(Torch.scalar(cos, -2.0)).add(Torch.scalar(cos, 2.0)).mean();
    }
}
