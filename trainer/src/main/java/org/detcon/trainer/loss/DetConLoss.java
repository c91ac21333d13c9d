package org.detcon.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.detcon.trainer.engine.Torch;

/**
 * The DetCon contrastive loss of detcon-spec.md section 5 (the batched form of the paper's equation 3, as the
 * authors' {@code byol_nce_detcon} computes it, with local negatives).
 *
 * <p>Inputs: predictions {@code p1, p2} and targets {@code t1, t2} of shape [B, R, D] (R = masks per view, 16),
 * and the mask ids {@code ind1, ind2} of shape [B, R] (integer: the sampled label of each row; the same ids go to
 * the online and the target network). For view 1 each row (a, i) is scored against the columns
 * [t2 of every (u, v) | t1 of every (u, v)]: positives are the cross-view entries with u = a and ind2[u][v] =
 * ind1[a][i] (the soft target spreads evenly over them); within-view entries with u = a and ind1[u][v] = ind1[a][i]
 * get −1e9 (the row itself included); every other entry is a negative. Row loss = cross-entropy with the soft
 * target, row weight = [row has a positive] / (how often its label was drawn in the view), loss_1 = mean over the
 * B×R rows; loss_2 likewise with the views swapped; loss = loss_1 + loss_2.
 *
 * <p>Computation is in float32 (float64 inputs stay float64, for gradient checks). The caller decides what is a
 * stop-gradient: {@link #detconB} stops it on the targets, {@link #detconS} lets it flow through both roles.
 */
public final class DetConLoss {

    /** Logit offset that removes within-view same-image same-label entries ("infinity proxy"). */
    public static final double EXCLUDED = 1e9;

    private final DetConLossConfig config;

    public DetConLoss(DetConLossConfig config) {
        this.config = config;
    }

    public DetConLoss() {
        this(DetConLossConfig.DEFAULT);
    }

    public DetConLossConfig config() {
        return config;
    }

    /** The loss and its two directions (scalars). */
    public record Result(NDArray loss, NDArray loss1, NDArray loss2) {
    }

    /** DetCon_B: p = online predictor outputs, t = target projections (gradient stopped here). */
    public Result detconB(NDArray p1, NDArray p2, NDArray t1, NDArray t2, NDArray ind1, NDArray ind2) {
        return compute(p1, p2, t1.stopGradient(), t2.stopGradient(), ind1, ind2);
    }

    /** DetCon_S (and SimCLR with the 1×1 grid): p = t = the projections of each view. */
    public Result detconS(NDArray z1, NDArray z2, NDArray ind1, NDArray ind2) {
        return compute(z1, z2, z1, z2, ind1, ind2);
    }

    /** The loss exactly as given, with no stop-gradient added. */
    public Result compute(NDArray p1, NDArray p2, NDArray t1, NDArray t2, NDArray ind1, NDArray ind2) {
        Shape s = p1.getShape();
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("predictions must be [B, R, D], got " + s);
        }
        for (NDArray x : new NDArray[] {p2, t1, t2}) {
            if (!x.getShape().equals(s)) {
                throw new IllegalArgumentException("shape mismatch: " + x.getShape() + " vs " + s);
            }
        }
        Shape is = new Shape(s.get(0), s.get(1));
        if (!ind1.getShape().equals(is) || !ind2.getShape().equals(is)) {
            throw new IllegalArgumentException("mask ids must be " + is + ", got " + ind1.getShape() + " and "
                    + ind2.getShape());
        }
        DataType dt = p1.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        int b = (int) s.get(0);
        int r = (int) s.get(1);
        int d = (int) s.get(2);
        int n = b * r;
        NDArray q1 = normalize(p1.toType(dt, false).reshape(n, d));
        NDArray q2 = normalize(p2.toType(dt, false).reshape(n, d));
        NDArray k1 = normalize(t1.toType(dt, false).reshape(n, d));
        NDArray k2 = normalize(t2.toType(dt, false).reshape(n, d));
        NDArray i1 = ind1.toType(DataType.INT64, false).reshape(n);
        NDArray i2 = ind2.toType(DataType.INT64, false).reshape(n);

        NDManager m = p1.getManager();
        NDArray image = m.arange(b).toType(DataType.INT64, false).reshape(b, 1).repeat(1, r).reshape(n);
        NDArray sameImage = image.reshape(n, 1).eq(image.reshape(1, n)).toType(dt, false);

        NDArray loss1 = direction(q1, k2, k1, i1, i2, sameImage, dt);
        NDArray loss2 = direction(q2, k1, k2, i2, i1, sameImage, dt);
        return new Result(loss1.add(loss2), loss1, loss2);
    }

    private NDArray direction(NDArray p, NDArray tOther, NDArray tSame, NDArray indP, NDArray indOther,
            NDArray sameImage, DataType dt) {
        long n = p.getShape().get(0);
        double invTau = 1.0 / config.temperature();
        // constants through Torch.scalar: DJL's mul(Number) frees its scalar before the backward pass reads it
        NDArray logitsCross = p.matMul(tOther.transpose()).mul(Torch.scalar(p, invTau));
        NDArray logitsWithin = p.matMul(tSame.transpose()).mul(Torch.scalar(p, invTau));

        NDArray positives = sameImage.mul(sameLabel(indP, indOther, dt));   // [N, N] cross-view block
        NDArray sameInView = sameImage.mul(sameLabel(indP, indP, dt));      // [N, N] within-view block
        logitsWithin = logitsWithin.sub(sameInView.mul(EXCLUDED));

        NDArray numPositives = positives.sum(new int[] {1}, true);            // [N, 1]
        NDArray target = positives.div(numPositives.maximum(1.0))
                .concat(positives.zerosLike(), 1);                            // [N, 2N]
        NDArray logits = logitsCross.concat(logitsWithin, 1);                 // [N, 2N]
        NDArray rowLoss = target.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();  // [N]

        NDArray timesDrawn = sameInView.sum(new int[] {1});                   // [N], >= 1 (the row itself)
        NDArray weight = numPositives.reshape(n).gt(1e-3).toType(dt, false).div(timesDrawn);
        return rowLoss.mul(weight).mean();
    }

    private static NDArray sameLabel(NDArray rows, NDArray cols, DataType dt) {
        long n = rows.getShape().get(0);
        return rows.reshape(n, 1).eq(cols.reshape(1, n)).toType(dt, false);
    }

    /** x / max(‖x‖, 1e-6) along the last axis (‖x‖² floored at 1e-12, as the reference l2_normalize). */
    static NDArray normalize(NDArray x) {
        NDArray sq = x.square().sum(new int[] {-1}, true);
        return x.div(sq.maximum(Torch.scalar(sq, 1e-12)).sqrt());
    }
}
