package org.detcon.core.coco;

import java.util.Arrays;

/**
 * An entry of {@code annotations}. {@code bbox} is {@code [x, y, w, h]} (owned: do not modify), {@code null} when
 * absent; {@code segmentation} is {@code null} when absent. Annotation ids are {@code long} because real COCO crowd
 * annotations have ids above 2^31 (e.g. 900100259090).
 */
public record CocoAnnotation(long id, long imageId, int categoryId, double[] bbox, double area, boolean iscrowd,
                             CocoSegmentation segmentation) {

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoAnnotation a && a.id == id && a.imageId == imageId && a.categoryId == categoryId
                && Arrays.equals(a.bbox, bbox) && Double.compare(a.area, area) == 0 && a.iscrowd == iscrowd
                && java.util.Objects.equals(a.segmentation, segmentation);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Long.hashCode(imageId);
    }

    @Override
    public String toString() {
        return "CocoAnnotation[id=" + id + ", imageId=" + imageId + ", categoryId=" + categoryId + ", bbox="
                + Arrays.toString(bbox) + ", area=" + area + ", iscrowd=" + iscrowd + ", segmentation="
                + segmentation + "]";
    }
}
