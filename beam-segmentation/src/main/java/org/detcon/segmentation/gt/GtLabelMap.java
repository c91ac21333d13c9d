package org.detcon.segmentation.gt;

import org.detcon.core.labelmap.LabelMap;

/**
 * A ground-truth partition: label 0 is background, label {@code L > 0} belongs to the annotation
 * {@code annotationIds[L - 1]} (category {@code categoryIds[L - 1]}). Arrays are owned: do not modify.
 */
public record GtLabelMap(LabelMap labelMap, long[] annotationIds, int[] categoryIds) {

    /** Number of labels including background. */
    public int labelCount() {
        return annotationIds.length + 1;
    }
}
