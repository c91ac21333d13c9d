package org.detcon.eval.data;

import java.util.List;

/** A semantic-segmentation dataset: class ids in [0, numClasses) plus one ignore value. */
public interface SegDataset extends SampleSource<SegSample> {

    int numClasses();

    int ignoreIndex();

    /** The class names, index = class id. */
    List<String> classNames();
}
