package org.detcon.eval.detection.ops;

/**
 * torchvision's {@code BoxCoder}: box deltas relative to reference boxes, with weights (wx, wy, ww, wh) ((1, 1, 1,
 * 1) for the RPN, (10, 10, 5, 5) for the box head) and dw, dh clamped at log(1000/16) when decoding. float32
 * arithmetic in torchvision's order of operations.
 */
public record BoxCoder(float wx, float wy, float ww, float wh) {

    /** {@code math.log(1000.0 / 16)} as the float32 torchvision clamps with. */
    public static final float BBOX_XFORM_CLIP = (float) Math.log(1000.0 / 16);

    public static BoxCoder rpn() {
        return new BoxCoder(1, 1, 1, 1);
    }

    public static BoxCoder roiHeads() {
        return new BoxCoder(10, 10, 5, 5);
    }

    /**
     * {@code encode_single}: deltas of {@code target[t]} relative to {@code proposal[p]}, written to
     * {@code out[o..o+3]}.
     */
    public void encode(float[] target, int t, float[] proposal, int p, float[] out, int o) {
        float exW = proposal[4 * p + 2] - proposal[4 * p];
        float exH = proposal[4 * p + 3] - proposal[4 * p + 1];
        float exX = proposal[4 * p] + 0.5f * exW;
        float exY = proposal[4 * p + 1] + 0.5f * exH;
        float gtW = target[4 * t + 2] - target[4 * t];
        float gtH = target[4 * t + 3] - target[4 * t + 1];
        float gtX = target[4 * t] + 0.5f * gtW;
        float gtY = target[4 * t + 1] + 0.5f * gtH;
        out[o] = wx * (gtX - exX) / exW;
        out[o + 1] = wy * (gtY - exY) / exH;
        out[o + 2] = ww * (float) Math.log(gtW / exW);
        out[o + 3] = wh * (float) Math.log(gtH / exH);
    }

    /**
     * {@code decode_single}: the box that deltas {@code d[o..o+3]} give relative to {@code box[b]}, written to
     * {@code out[w..w+3]}.
     */
    public void decode(float[] d, int o, float[] box, int b, float[] out, int w) {
        float width = box[4 * b + 2] - box[4 * b];
        float height = box[4 * b + 3] - box[4 * b + 1];
        float ctrX = box[4 * b] + 0.5f * width;
        float ctrY = box[4 * b + 1] + 0.5f * height;
        float dx = d[o] / wx;
        float dy = d[o + 1] / wy;
        float dw = Math.min(d[o + 2] / ww, BBOX_XFORM_CLIP);
        float dh = Math.min(d[o + 3] / wh, BBOX_XFORM_CLIP);
        float px = dx * width + ctrX;
        float py = dy * height + ctrY;
        float pw = (float) Math.exp(dw) * width;
        float ph = (float) Math.exp(dh) * height;
        float hw = 0.5f * pw;
        float hh = 0.5f * ph;
        out[w] = px - hw;
        out[w + 1] = py - hh;
        out[w + 2] = px + hw;
        out[w + 3] = py + hh;
    }
}
