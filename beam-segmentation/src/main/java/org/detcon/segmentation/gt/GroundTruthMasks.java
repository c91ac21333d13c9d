package org.detcon.segmentation.gt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentations;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.mask.BoxRasterizer;
import org.detcon.core.mask.Rle;

/**
 * An image's COCO annotations as its ground-truth mask set.
 *
 * <p>{@link #masks}: one binary mask per annotation, in annotation order, overlapping as annotated, at image
 * resolution, rasterized exactly as pycocotools' {@code annToRLE} does (polygons merged, uncompressed and
 * compressed RLE decoded); crowd annotations are kept and flagged. An annotation without segmentation uses its bbox
 * (as pycocotools' {@code loadRes} does for box results).
 *
 * <p>{@link #toLabelMap}: the overlapping masks flattened into a partition. Masks are painted in annotation order,
 * so where masks overlap the <em>later annotation wins</em>; pixels of no (included) mask are background, label 0.
 * Labels are dense, 1..k in annotation order, given only to masks that still own at least one pixel (a mask fully
 * covered by later ones, or empty, gets no label); the result maps each label back to its annotation.
 */
public final class GroundTruthMasks {

    private GroundTruthMasks() {
    }

    /**
     * The masks of one image's annotations, in the given order.
     *
     * @throws IllegalArgumentException if an annotation belongs to another image, has neither segmentation nor
     *     bbox, or has an RLE whose size is not the image's
     */
    public static List<GtMask> masks(CocoImage image, List<CocoAnnotation> annotations) {
        int h = image.height();
        int w = image.width();
        List<GtMask> out = new ArrayList<>(annotations.size());
        for (CocoAnnotation a : annotations) {
            if (a.imageId() != image.id()) {
                throw new IllegalArgumentException("annotation " + a.id() + " belongs to image " + a.imageId()
                        + ", not " + image.id());
            }
            Rle rle;
            if (a.segmentation() != null) {
                rle = CocoSegmentations.toRle(a.segmentation(), h, w);
            } else if (a.bbox() != null) {
                rle = BoxRasterizer.rasterize(a.bbox(), h, w);
            } else {
                throw new IllegalArgumentException("annotation " + a.id() + " has neither segmentation nor bbox");
            }
            if (rle.height() != h || rle.width() != w) {
                throw new IllegalArgumentException("annotation " + a.id() + " has a " + rle.height() + "x"
                        + rle.width() + " mask, image " + image.id() + " is " + h + "x" + w);
            }
            if (!rle.isConsistent()) {
                throw new IllegalArgumentException("annotation " + a.id() + " has RLE counts that do not sum to "
                        + ((long) h * w));
            }
            out.add(new GtMask(a.id(), a.categoryId(), a.iscrowd(), rle));
        }
        return out;
    }

    /**
     * Flattens masks into a partition (later masks over earlier ones; 0 = background; dense labels in mask
     * order).
     *
     * @param includeCrowd whether crowd masks take part (if not, their pixels stay background unless another mask
     *     covers them)
     * @throws IllegalArgumentException if a mask's size is not {@code height x width}, or more than
     *     {@link LabelMap#MAX_LABEL} masks remain visible
     */
    public static GtLabelMap toLabelMap(List<GtMask> masks, int height, int width, boolean includeCrowd) {
        int n = masks.size();
        int[] labels = new int[Math.multiplyExact(height, width)];
        // paint 1-based mask indices, later masks over earlier ones
        for (int i = 0; i < n; i++) {
            GtMask g = masks.get(i);
            if (g.iscrowd() && !includeCrowd) {
                continue;
            }
            Rle r = g.mask();
            if (r.height() != height || r.width() != width) {
                throw new IllegalArgumentException("mask of annotation " + g.annotationId() + " is " + r.height()
                        + "x" + r.width() + ", expected " + height + "x" + width);
            }
            int value = i + 1;
            int pos = 0;
            for (int k = 0; k < r.runCount(); k++) {
                int cnt = r.count(k);
                if ((k & 1) == 1) {
                    int end = pos + cnt;
                    if (end > labels.length || end < pos) {
                        throw new IllegalArgumentException("mask of annotation " + g.annotationId()
                                + " has counts beyond " + labels.length + " pixels");
                    }
                    for (int j = pos; j < end; j++) {
                        int x = j / height;
                        int y = j - x * height;
                        labels[y * width + x] = value;
                    }
                }
                pos += cnt;
            }
        }
        // keep the indices that still own pixels, renumber densely in mask order
        boolean[] visible = new boolean[n + 1];
        for (int v : labels) {
            visible[v] = true;
        }
        int[] remap = new int[n + 1];
        long[] ids = new long[n];
        int[] cats = new int[n];
        int k = 0;
        for (int i = 1; i <= n; i++) {
            if (visible[i]) {
                remap[i] = ++k;
                ids[k - 1] = masks.get(i - 1).annotationId();
                cats[k - 1] = masks.get(i - 1).categoryId();
            }
        }
        if (k > LabelMap.MAX_LABEL) {
            throw new IllegalArgumentException(k + " visible masks exceed the label map's " + LabelMap.MAX_LABEL);
        }
        for (int j = 0; j < labels.length; j++) {
            labels[j] = remap[labels[j]];
        }
        return new GtLabelMap(new LabelMap(width, height, labels), Arrays.copyOf(ids, k), Arrays.copyOf(cats, k));
    }
}
