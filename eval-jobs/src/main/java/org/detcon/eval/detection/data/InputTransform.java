package org.detcon.eval.detection.data;

import java.util.ArrayList;
import java.util.List;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.coco.CocoSegmentations;
import org.detcon.core.image.Image8;
import org.detcon.core.mask.BoxRasterizer;
import org.detcon.core.mask.RleCodec;
import org.detcon.eval.detection.model.ImageTargets;
import org.detcon.trainer.augment.ColorOps;
import org.detcon.trainer.augment.CropWindow;
import org.detcon.trainer.augment.Resize;

/**
 * The detector's input (spec §7a): the image resized so that its longer side is {@code inputSize} (bicubic,
 * half-pixel centres, no antialiasing; the shorter side rounded), optionally mirrored, ImageNet-normalised; padding
 * to {@code inputSize²} happens when batching. Ground truth as torchvision's COCO reference reads it: crowd
 * annotations left out, {@code [x, y, w, h]} → {@code [x1, y1, x2, y2]} clamped to the image, boxes without area
 * dropped, then scaled by the per-axis size ratios (and mirrored). Instance masks are the annotations' segmentations
 * rasterised at the original size by the pycocotools-exact rasteriser (boxes when an annotation has none), resampled
 * to the input size by nearest neighbour on the same half-pixel grid, made only when a mask target needs them.
 */
public final class InputTransform {

    private final int inputSize;

    public InputTransform(int inputSize) {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32 (>= 32), got " + inputSize);
        }
        this.inputSize = inputSize;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Resized size {@code {h, w}} of an {@code height×width} image: the longer side becomes the input size. */
    public int[] resizedSize(int height, int width) {
        double scale = (double) inputSize / Math.max(height, width);
        int h = height >= width ? inputSize : (int) Math.max(1, Math.round(height * scale));
        int w = width >= height ? inputSize : (int) Math.max(1, Math.round(width * scale));
        return new int[] {h, w};
    }

    /** Why an annotation is left out of training. */
    public enum Skip { CROWD, UNKNOWN_CATEGORY, NO_AREA }

    /**
     * The annotation's box {@code [x1, y1, x2, y2]} clamped to an {@code oh×ow} image, or null with the reason in
     * {@code why[0]} when training leaves the annotation out.
     */
    public static float[] usableBox(CocoAnnotation a, CategoryIndex categories, int oh, int ow, Skip[] why) {
        Skip skip = null;
        float[] box = null;
        if (a.iscrowd()) {
            skip = Skip.CROWD;
        } else if (categories.label(a.categoryId()) < 0) {
            skip = Skip.UNKNOWN_CATEGORY;
        } else if (a.bbox() == null) {
            skip = Skip.NO_AREA;
        } else {
            double[] bb = a.bbox();
            box = new float[] {clamp((float) bb[0], ow), clamp((float) bb[1], oh), clamp((float) (bb[0] + bb[2]), ow),
                clamp((float) (bb[1] + bb[3]), oh)};
            if (!(box[2] > box[0] && box[3] > box[1])) {
                skip = Skip.NO_AREA;
                box = null;
            }
        }
        if (why != null) {
            why[0] = skip;
        }
        return box;
    }

    /** The sample of {@code image} with annotations {@code annotations} (null: no ground truth, for inference). */
    public DetectionSample apply(long imageId, Image8 image, List<CocoAnnotation> annotations,
            CategoryIndex categories, boolean flip) {
        int oh = image.height();
        int ow = image.width();
        int[] size = resizedSize(oh, ow);
        int h = size[0];
        int w = size[1];
        float[] pixels = Resize.bicubic(image, new CropWindow(0, 0, ow, oh), w, h, flip);
        ColorOps.normalize(pixels, h * w);
        ImageTargets targets = annotations == null ? null
                : targets(annotations, categories, oh, ow, h, w, flip);
        return new DetectionSample(imageId, pixels, h, w, oh, ow, flip, targets);
    }

    private static ImageTargets targets(List<CocoAnnotation> annotations, CategoryIndex categories, int oh, int ow,
            int h, int w, boolean flip) {
        float rx = (float) w / (float) ow;
        float ry = (float) h / (float) oh;
        List<float[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<CocoAnnotation> kept = new ArrayList<>();
        for (CocoAnnotation a : annotations) {
            float[] box = usableBox(a, categories, oh, ow, null);
            if (box == null) {
                continue;
            }
            int label = categories.label(a.categoryId());
            float x1 = box[0] * rx;
            float y1 = box[1] * ry;
            float x2 = box[2] * rx;
            float y2 = box[3] * ry;
            if (flip) {
                float t = w - x2;
                x2 = w - x1;
                x1 = t;
            }
            boxes.add(new float[] {x1, y1, x2, y2});
            labels.add(label);
            kept.add(a);
        }
        float[] b = new float[4 * boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            System.arraycopy(boxes.get(i), 0, b, 4 * i, 4);
        }
        return new ImageTargets(b, labels.stream().mapToInt(Integer::intValue).toArray(),
                new CocoMasks(kept, oh, ow, h, w, flip));
    }

    private static float clamp(float v, int max) {
        return Math.min(Math.max(v, 0f), max);
    }

    /** Instance masks of kept annotations, rasterised and resampled on demand. */
    private record CocoMasks(List<CocoAnnotation> annotations, int originalHeight, int originalWidth, int height,
            int width, boolean flip) implements ImageTargets.InstanceMasks {

        @Override
        public int count() {
            return annotations.size();
        }

        @Override
        public byte[] mask(int instance) {
            CocoAnnotation a = annotations.get(instance);
            CocoSegmentation s = a.segmentation();
            byte[] full = RleCodec.decodeRowMajor(s != null
                    ? CocoSegmentations.toRle(s, originalHeight, originalWidth)
                    : BoxRasterizer.rasterize(a.bbox(), originalHeight, originalWidth));
            int mh = s instanceof CocoSegmentation.Polygons || s == null ? originalHeight : rleHeight(s);
            int mw = s instanceof CocoSegmentation.Polygons || s == null ? originalWidth : rleWidth(s);
            int[] xs = new int[width];
            for (int x = 0; x < width; x++) {
                xs[x] = Resize.nearestIndex(0, originalWidth, width, flip ? width - 1 - x : x);
            }
            byte[] out = new byte[height * width];
            for (int y = 0; y < height; y++) {
                int sy = Resize.nearestIndex(0, originalHeight, height, y);
                if (sy >= mh) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    if (xs[x] < mw) {
                        out[y * width + x] = full[sy * mw + xs[x]];
                    }
                }
            }
            return out;
        }

        private static int rleHeight(CocoSegmentation s) {
            return s instanceof CocoSegmentation.UncompressedRle u ? u.height()
                    : ((CocoSegmentation.CompressedRle) s).height();
        }

        private static int rleWidth(CocoSegmentation s) {
            return s instanceof CocoSegmentation.UncompressedRle u ? u.width()
                    : ((CocoSegmentation.CompressedRle) s).width();
        }
    }
}
