package org.detcon.core.coco;

import java.util.Arrays;

/**
 * One entry of a detection results file: {@code bbox} ({@code [x, y, w, h]}, owned) or {@code segmentation} (or
 * both; the absent one is {@code null}), with its score. {@code index} is the position in the file's array.
 */
public record CocoDetection(int index, long imageId, int categoryId, double[] bbox, CocoSegmentation segmentation,
                            double score) {

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoDetection d && d.index == index && d.imageId == imageId
                && d.categoryId == categoryId && Arrays.equals(d.bbox, bbox)
                && java.util.Objects.equals(d.segmentation, segmentation) && Double.compare(d.score, score) == 0;
    }

    @Override
    public int hashCode() {
        return index * 31 + Long.hashCode(imageId);
    }

    @Override
    public String toString() {
        return "CocoDetection[index=" + index + ", imageId=" + imageId + ", categoryId=" + categoryId + ", bbox="
                + Arrays.toString(bbox) + ", segmentation=" + segmentation + ", score=" + score + "]";
    }
}
