package org.detcon.eval.coco.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoCategory;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.coco.CocoSegmentations;
import org.detcon.core.mask.Rle;
import org.detcon.eval.coco.eval.IouType;

/**
 * Turns a ground-truth {@link CocoDataset} and a results list into an {@link EvalInput}, with the semantics of
 * pycocotools' {@code COCO.loadRes} and {@code COCOeval._prepare}:
 *
 * <ul>
 *   <li>Every result's {@code image_id} must be an image of the ground truth ("Results do not correspond to current
 *       coco set").</li>
 *   <li>The kind of the whole file is decided by its <em>first</em> entry: if it has a non-empty {@code bbox}, every
 *       entry is treated as a box result: {@code area = w*h}, and its segmentation (for {@code segm}) is its own
 *       {@code segmentation} if present, else the box as the polygon {@code [x1,y1, x1,y2, x2,y2, x2,y1]}. Otherwise,
 *       if it has a {@code segmentation}, every entry is a mask result: {@code area = area(rle)} and
 *       {@code bbox = toBbox(rle)} unless the entry has a box. (So a segm results file whose entries carry boxes
 *       uses box areas for the area ranges, exactly as pycocotools.)</li>
 *   <li>Detection ids are {@code 1..N} in file order; {@code iscrowd = 0}.</li>
 *   <li>Ground truths keep their {@code area} field and {@code iscrowd} (pycocotools' {@code ignore} is
 *       {@code iscrowd}); for {@code segm} their segmentation becomes an RLE as {@code annToRLE} does (polygons at the
 *       image size). Ground truths of images absent from {@code images} are dropped (pycocotools never evaluates
 *       them).</li>
 * </ul>
 *
 * <p>Deviation: an empty results list evaluates as "no detections" (pycocotools raises {@code IndexError}).
 */
public final class CocoEvalLoader {

    private CocoEvalLoader() {
    }

    public static EvalInput load(CocoDataset gt, List<CocoDetection> results, IouType iouType) {
        boolean segm = iouType == IouType.SEGM;
        EvalDataset.Builder b = EvalDataset.builder();
        Map<Long, CocoImage> images = new HashMap<>();
        for (CocoImage im : gt.images()) {
            b.image(im.id(), im.height(), im.width());
            images.putIfAbsent(im.id(), im);
        }
        for (CocoCategory c : gt.categories()) {
            b.category(c.id(), c.name());
        }
        List<CocoAnnotation> anns = gt.annotations();
        Rle[] gtRle = segm ? new Rle[anns.size()] : null;
        for (CocoAnnotation a : anns) {
            CocoImage im = images.get(a.imageId());
            if (im == null) {
                continue;
            }
            double[] bb = a.bbox();
            if (segm) {
                if (a.segmentation() == null) {
                    throw new IllegalArgumentException("ground truth annotation " + a.id() + " has no segmentation");
                }
                gtRle[b.gtCount()] = CocoSegmentations.toRle(a.segmentation(), im.height(), im.width());
            } else if (bb == null || bb.length != 4) {
                throw new IllegalArgumentException("ground truth annotation " + a.id() + " has no bbox");
            }
            if (bb == null || bb.length != 4) {
                bb = new double[4];
            }
            b.gt(a.imageId(), a.categoryId(), a.id(), bb[0], bb[1], bb[2], bb[3], a.area(), a.iscrowd());
        }
        Rle[] dtRle = segm ? new Rle[results.size()] : null;
        if (!results.isEmpty()) {
            CocoDetection first = results.get(0);
            boolean boxFile = first.bbox() != null && first.bbox().length > 0;
            if (!boxFile && first.segmentation() == null) {
                throw new IllegalArgumentException("results have neither bbox nor segmentation"
                        + " (caption and keypoint results are not supported)");
            }
            int n = 0;
            for (CocoDetection d : results) {
                CocoImage im = images.get(d.imageId());
                if (im == null) {
                    throw new IllegalArgumentException("Results do not correspond to current coco set: image_id "
                            + d.imageId() + " (result " + d.index() + ") is not an image of the ground truth");
                }
                long id = n + 1;
                if (boxFile) {
                    double[] bb = d.bbox();
                    if (bb == null || bb.length != 4) {
                        throw new IllegalArgumentException("result " + d.index() + " has no 4-number bbox");
                    }
                    if (segm) {
                        CocoSegmentation s = d.segmentation();
                        if (s == null) {
                            double x1 = bb[0];
                            double x2 = bb[0] + bb[2];
                            double y1 = bb[1];
                            double y2 = bb[1] + bb[3];
                            s = new CocoSegmentation.Polygons(new double[][] {{x1, y1, x1, y2, x2, y2, x2, y1}});
                        }
                        dtRle[n] = CocoSegmentations.toRle(s, im.height(), im.width());
                    }
                    b.dt(d.imageId(), d.categoryId(), id, d.score(), bb[0], bb[1], bb[2], bb[3], bb[2] * bb[3]);
                } else {
                    if (d.segmentation() == null) {
                        throw new IllegalArgumentException("result " + d.index() + " has no segmentation");
                    }
                    Rle rle = CocoSegmentations.toRle(d.segmentation(), im.height(), im.width());
                    double area = rle.area();
                    double[] bb = d.bbox();
                    if (bb == null || bb.length != 4) {
                        bb = org.detcon.core.mask.RleOps.toBbox(rle);
                    }
                    if (segm) {
                        dtRle[n] = rle;
                    }
                    b.dt(d.imageId(), d.categoryId(), id, d.score(), bb[0], bb[1], bb[2], bb[3], area);
                }
                n++;
            }
        }
        EvalDataset data = b.build();
        if (segm) {
            Rle[] g = java.util.Arrays.copyOf(gtRle, data.gtCount());
            return new EvalInput(data, MaskApiIou.masks(data, g, dtRle));
        }
        return new EvalInput(data, MaskApiIou.boxes(data));
    }

    /** Category id → name of the ground truth (first occurrence wins). */
    public static Map<Long, String> categoryNames(EvalDataset data) {
        Map<Long, String> m = new HashMap<>();
        for (int i = 0; i < data.categoryCount(); i++) {
            m.putIfAbsent(data.categoryIds()[i], data.categoryNames()[i]);
        }
        return m;
    }
}
