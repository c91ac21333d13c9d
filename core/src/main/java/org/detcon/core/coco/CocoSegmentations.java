package org.detcon.core.coco;

import java.util.ArrayList;
import java.util.List;
import org.detcon.core.mask.PolygonRasterizer;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleOps;
import org.detcon.core.mask.RleString;

/**
 * Segmentation to RLE as pycocotools' {@code COCO.annToRLE} does it:
 * <ul>
 *   <li>{@link CocoSegmentation.Polygons}: {@code merge(frPyObjects(polygons, h, w))}, i.e. each polygon rasterized
 *       at the image size {@code (h, w)} by {@link PolygonRasterizer} and the results united;</li>
 *   <li>{@link CocoSegmentation.UncompressedRle}: {@code frPyObjects(rle, h, w)} = {@code frUncompressedRLE}, which
 *       keeps the RLE's own {@code size} (the image size is not used) and passes the counts through the compressed
 *       string codec;</li>
 *   <li>{@link CocoSegmentation.CompressedRle}: the string decoded at its own {@code size}.</li>
 * </ul>
 *
 * <p>Deviations, where pycocotools fails rather than answers: an empty polygon list (pycocotools raises
 * {@code IndexError}) gives an all-zero mask of the image size; a polygon list whose first polygon has exactly 4
 * coordinates (pycocotools mistakes the list for boxes and raises {@code TypeError}) is rasterized as polygons like
 * any other list.
 */
public final class CocoSegmentations {

    private CocoSegmentations() {
    }

    /** The RLE of a segmentation in an image of {@code height x width} ({@code annToRLE}). */
    public static Rle toRle(CocoSegmentation segmentation, int height, int width) {
        if (segmentation instanceof CocoSegmentation.Polygons p) {
            double[][] polys = p.polygons();
            if (polys.length == 0) {
                return Rle.empty(height, width);
            }
            List<Rle> rles = new ArrayList<>(polys.length);
            for (double[] poly : polys) {
                rles.add(PolygonRasterizer.rasterize(poly, height, width));
            }
            return RleOps.union(rles);
        } else if (segmentation instanceof CocoSegmentation.UncompressedRle u) {
            return fromUncompressed(u.height(), u.width(), u.counts());
        } else if (segmentation instanceof CocoSegmentation.CompressedRle c) {
            return RleString.decode(c.counts(), c.height(), c.width());
        }
        throw new NullPointerException("segmentation");
    }

    /**
     * {@code frUncompressedRLE}: the counts as uint32, through {@code rleToString} and back as every pycocotools
     * consumer does (the identity unless a count reaches 2^29, where C's 32-bit shifts in {@code rleFrString} alter
     * it).
     */
    public static Rle fromUncompressed(int height, int width, int[] counts) {
        Rle rle = new Rle(height, width, counts);
        for (int c : counts) {
            if (Integer.compareUnsigned(c, 1 << 29) >= 0) {
                return RleString.decode(RleString.encode(rle), height, width);
            }
        }
        return rle;
    }
}
