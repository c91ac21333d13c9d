package org.detcon.segmentation.fh;

import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/** Test hook: the pipeline with the exact introsort forced (no radix fast path). */
final class FelzenszwalbTestAccess {

    private FelzenszwalbTestAccess() {
    }

    static LabelMap segmentIntrosortOnly(Image8 image, FhParams params) {
        EdgeGraph graph = new EdgeGraph(image.width(), image.height());
        double[][] planes = GaussianBlur.blur(image, GaussianKernel.halfWeights(params.sigma()));
        double[] costs = graph.costs(planes);
        int[] order = graph.payloads();
        NumpyIntroSort.sort(costs, order);
        DisjointSet ds = FhMerge.run(graph, costs, order, params.k(), params.minSize());
        return new LabelMap(image.width(), image.height(), FhMerge.labels(ds));
    }
}
