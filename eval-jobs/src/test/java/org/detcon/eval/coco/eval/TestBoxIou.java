package org.detcon.eval.coco.eval;

import org.detcon.eval.coco.data.EvalDataset;
import org.detcon.eval.coco.data.IouComputer;

/** Test-only box IoU ({@code maskApi.c bbIou} semantics) so the evaluator can be tested on its own. */
final class TestBoxIou implements IouComputer {
    private final EvalDataset d;

    TestBoxIou(EvalDataset d) {
        this.d = d;
    }

    @Override
    public void iou(int[] dts, int nDt, int[] gts, int nGt, double[] out) {
        double[] db = d.dtBox();
        double[] gb = d.gtBox();
        boolean[] crowd = d.gtCrowd();
        for (int g = 0; g < nGt; g++) {
            int gi = gts[g] * 4;
            double ga = gb[gi + 2] * gb[gi + 3];
            for (int k = 0; k < nDt; k++) {
                int di = dts[k] * 4;
                double da = db[di + 2] * db[di + 3];
                out[k * nGt + g] = 0;
                double w = Math.min(db[di + 2] + db[di], gb[gi + 2] + gb[gi]) - Math.max(db[di], gb[gi]);
                if (w <= 0) {
                    continue;
                }
                double h = Math.min(db[di + 3] + db[di + 1], gb[gi + 3] + gb[gi + 1]) - Math.max(db[di + 1], gb[gi + 1]);
                if (h <= 0) {
                    continue;
                }
                double i = w * h;
                double u = crowd[gts[g]] ? da : da + ga - i;
                out[k * nGt + g] = i / u;
            }
        }
    }
}
