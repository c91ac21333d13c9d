package org.detcon.eval.coco.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoCategory;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.eval.coco.eval.CocoEvaluator;
import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.IouType;
import org.junit.jupiter.api.Test;

class CocoEvalLoaderTest {

    private static CocoDataset gt() {
        return new CocoDataset(List.of(new CocoImage(1, "a.jpg", 20, 10)), List.of(new CocoCategory(1, "a", null)),
                List.of(new CocoAnnotation(7, 1, 1, new double[] {2, 2, 4, 4}, 16, false,
                        new CocoSegmentation.Polygons(new double[][] {{2, 2, 2, 6, 6, 6, 6, 2}}))));
    }

    @Test
    void boxResultsGetIdsInFileOrderAndBoxArea() {
        List<CocoDetection> r = List.of(new CocoDetection(0, 1, 1, new double[] {0, 0, 3, 5}, null, 0.1),
                new CocoDetection(1, 1, 1, new double[] {2, 2, 4, 4}, null, 0.9));
        EvalInput in = CocoEvalLoader.load(gt(), r, IouType.BBOX);
        assertEquals(1, in.dataset().dtId()[0]);
        assertEquals(2, in.dataset().dtId()[1]);
        assertEquals(15.0, in.dataset().dtArea()[0], 0.0);
        assertEquals(16.0, in.dataset().gtArea()[0], 0.0);
    }

    @Test
    void resultsOnUnknownImagesAreRejected() {
        List<CocoDetection> r = List.of(new CocoDetection(0, 99, 1, new double[] {0, 0, 3, 5}, null, 0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CocoEvalLoader.load(gt(), r, IouType.BBOX));
        assertEquals(true, e.getMessage().contains("Results do not correspond"));
    }

    @Test
    void emptyResultsEvaluateAsNoDetections() {
        EvalInput in = CocoEvalLoader.load(gt(), List.of(), IouType.SEGM);
        double[] s = CocoSummary.of(CocoEvaluator.evaluate(in.dataset(), EvalParams.defaults(IouType.SEGM),
                in.iou())).stats();
        assertEquals(0.0, s[0], 0.0);
    }

    @Test
    void boxResultEvaluatedAsSegmUsesTheBoxPolygon() {
        // a box result identical to the gt box; the gt polygon is that box: segm IoU 1 -> AP ~1
        List<CocoDetection> r = List.of(new CocoDetection(0, 1, 1, new double[] {2, 2, 4, 4}, null, 0.9));
        EvalInput in = CocoEvalLoader.load(gt(), r, IouType.SEGM);
        double[] s = CocoSummary.of(CocoEvaluator.evaluate(in.dataset(), EvalParams.defaults(IouType.SEGM),
                in.iou())).stats();
        assertEquals(1.0, s[0], 1e-12);
    }
}
