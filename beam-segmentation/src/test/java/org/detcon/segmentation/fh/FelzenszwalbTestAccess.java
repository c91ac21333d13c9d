package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/** Test hook: the pipeline in numpy's full introsort order (no buckets, no tie reasoning). */
final class FelzenszwalbTestAccess {

    private FelzenszwalbTestAccess() {
    }

    static LabelMap segmentIntrosortOnly(Image8 image, FhParams params) {
        EdgeGraph graph = new EdgeGraph(image.width(), image.height());
        EdgeCosts ec = new EdgeCosts(image, GaussianKernel.halfWeights(params.sigma()));
        double[] costs = ec.edgeOrder(graph.edgeCount());
        int[] slots = graph.slots();
        NumpyIntroSort.sort(costs, slots);
        FhMerge merge = new FhMerge(params, ec);
        merge.runInOrder(costs, slots);
        return new LabelMap(image.width(), image.height(), merge.labels());
    }
}
