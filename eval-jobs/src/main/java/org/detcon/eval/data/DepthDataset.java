package org.detcon.eval.data;

import org.detcon.eval.metrics.depth.DepthRange;

/** A depth-estimation dataset; {@link DepthSample#valid()} follows {@link #range()}. */
public interface DepthDataset extends SampleSource<DepthSample> {

    DepthRange range();
}
