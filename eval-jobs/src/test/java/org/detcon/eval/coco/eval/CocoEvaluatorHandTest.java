package org.detcon.eval.coco.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.detcon.eval.coco.data.EvalDataset;
import org.junit.jupiter.api.Test;

/** Small cases whose numbers follow directly from the pycocotools rules. */
class CocoEvaluatorHandTest {

    private static CocoSummary run(EvalDataset d) {
        return CocoSummary.of(CocoEvaluator.evaluate(d, EvalParams.defaults(IouType.BBOX), new TestBoxIou(d)));
    }

    private static EvalDataset.Builder base() {
        return EvalDataset.builder().image(1, 480, 640).image(2, 480, 640).category(1, "cat").category(2, "dog");
    }

    @Test
    void onePerfectDetectionIsApOne() {
        // gt 50x50 = 2500 px: medium
        EvalDataset d = base().gt(1, 1, 1, 10, 10, 50, 50, 2500, false).boxResult(1, 1, 0.9, 10, 10, 50, 50).build();
        double[] s = run(d).stats();
        // precision is tp / (fp + tp + eps), so "1" is 1 - 2^-52 and its means; the exact values are pycocotools'
        assertArrayEquals(new double[] {0.9999999999999998, 0.9999999999999999, 0.9999999999999999, -1,
            0.9999999999999998, -1, 1, 1, 1, -1, 1, -1}, s, 0.0);
        assertArrayEquals(new double[] {0.9999999999999998, -1}, run(d).perCategoryAp(), 0.0);
    }

    @Test
    void singleFalsePositiveGivesZero() {
        EvalDataset d = base().gt(1, 1, 1, 10, 10, 50, 50, 2500, false).boxResult(1, 1, 0.9, 300, 300, 50, 50)
                .build();
        double[] s = run(d).stats();
        assertArrayEquals(new double[] {0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1}, s, 0.0);
    }

    @Test
    void missingDetectionsGiveZeroNotMinusOne() {
        EvalDataset d = base().gt(1, 1, 1, 10, 10, 50, 50, 2500, false).build();
        assertEquals(0.0, run(d).stats()[0], 0.0);
    }

    @Test
    void detectionsOnlyGiveMinusOne() {
        EvalDataset d = base().boxResult(1, 1, 0.9, 10, 10, 50, 50).build();
        assertEquals(-1.0, run(d).stats()[0], 0.0);
        assertEquals(-1.0, run(d).stats()[8], 0.0);
    }

    @Test
    void detectionInsideCrowdIsIgnored() {
        // a crowd region and a regular object; the second detection sits inside the crowd: not a false positive
        EvalDataset d = base()
                .gt(1, 1, 1, 0, 0, 200, 200, 40000, true)
                .gt(1, 1, 2, 300, 300, 40, 40, 1600, false)
                .boxResult(1, 1, 0.5, 300, 300, 40, 40)
                .boxResult(1, 1, 0.9, 10, 10, 20, 20)
                .build();
        double[] s = run(d).stats();
        assertEquals(1.0, s[0], 1e-12);
        assertEquals(1.0, s[8], 0.0);
        // maxDets=1: only the top-scored (crowd-matched, ignored) detection remains -> recall 0
        assertEquals(0.0, s[6], 0.0);
    }

    @Test
    void duplicateDetectionIsFalsePositiveButCrowdTakesMany() {
        // two detections on one regular gt: the second (lower score) is a FP ranked after the TP -> AP 1
        EvalDataset d = base()
                .gt(1, 1, 1, 10, 10, 50, 50, 2500, false)
                .boxResult(1, 1, 0.9, 10, 10, 50, 50)
                .boxResult(1, 1, 0.8, 10, 10, 50, 50)
                .build();
        assertEquals(1.0, run(d).stats()[0], 1e-12);
        // reversed: the FP can't come first since both are identical boxes; make the first one worse
        EvalDataset d2 = base()
                .gt(1, 1, 1, 10, 10, 50, 50, 2500, false)
                .boxResult(1, 1, 0.9, 300, 300, 50, 50)
                .boxResult(1, 1, 0.8, 10, 10, 50, 50)
                .build();
        // precision at recall 1 is 1/2 for every recall threshold
        double ap = run(d2).stats()[0];
        assertEquals(0.5, ap, 1e-12);
    }

    @Test
    void iouThresholdsCountOnlyOverlapsAboveEach() {
        // detection shifted so IoU = 40*50/(2*2500-2000) = 2000/3000 = 0.666..: TP for t in .5,.55,.6,.65 only
        EvalDataset d = base().gt(1, 1, 1, 10, 10, 50, 50, 2500, false).boxResult(1, 1, 0.9, 20, 10, 50, 50).build();
        double[] s = run(d).stats();
        assertEquals(0.4, s[0], 1e-12);
        assertEquals(1.0, s[1], 1e-12);
        assertEquals(0.0, s[2], 0.0);
    }

    @Test
    void areaRangesUseGtAreaFieldAndDetectionBoxArea() {
        // gt area field says small although the box is large; the detection (box area 2500, medium) matches it
        EvalDataset d = base().gt(1, 1, 1, 10, 10, 50, 50, 500, false).boxResult(1, 1, 0.9, 10, 10, 50, 50).build();
        double[] s = run(d).stats();
        assertEquals(1.0, s[3], 1e-12);  // small: gt in range, matched detection counts
        assertEquals(-1.0, s[4], 0.0); // medium: no gt in range
    }

    @Test
    void maxDetsTruncatesPerImageByScore() {
        // 11 detections on image 1, the true one has the lowest score: found only with maxDets=100
        EvalDataset.Builder b = base().gt(1, 1, 1, 10, 10, 50, 50, 2500, false);
        for (int i = 0; i < 10; i++) {
            b.boxResult(1, 1, 0.9, 200 + i, 200, 30, 30);
        }
        b.boxResult(1, 1, 0.1, 10, 10, 50, 50);
        double[] s = run(b.build()).stats();
        assertEquals(0.0, s[6], 0.0);
        assertEquals(0.0, s[7], 0.0);
        assertEquals(1.0, s[8], 0.0);
    }

    @Test
    void parallelGivesIdenticalNumbers() {
        EvalDataset.Builder b = base();
        java.util.Random r = new java.util.Random(7);
        long id = 1;
        for (int img = 1; img <= 2; img++) {
            for (int i = 0; i < 30; i++) {
                int c = 1 + r.nextInt(2);
                double x = r.nextInt(400);
                double y = r.nextInt(300);
                double w = 5 + r.nextInt(150);
                double h = 5 + r.nextInt(150);
                b.gt(img, c, id++, x, y, w, h, w * h, r.nextInt(20) == 0);
                b.boxResult(img, c, r.nextDouble(), x + r.nextInt(9) - 4, y + r.nextInt(9) - 4, w, h);
                b.boxResult(img, 1 + r.nextInt(2), Math.round(r.nextDouble() * 10) / 10.0, r.nextInt(400),
                        r.nextInt(300), 20, 20);
            }
        }
        EvalDataset d = b.build();
        EvalParams p = EvalParams.defaults(IouType.BBOX);
        double[] one = CocoSummary.of(CocoEvaluator.evaluate(d, p, new TestBoxIou(d), 1)).stats();
        double[] two = CocoSummary.of(CocoEvaluator.evaluate(d, p, new TestBoxIou(d), 2)).stats();
        assertArrayEquals(one, two, 0.0);
    }
}
