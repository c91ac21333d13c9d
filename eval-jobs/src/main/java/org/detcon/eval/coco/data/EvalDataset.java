package org.detcon.eval.coco.data;

import java.util.Arrays;

/**
 * Ground truth and detections in the columnar form the evaluator works on: what pycocotools holds in
 * {@code cocoGt} and {@code cocoDt} (after {@code loadRes}), flattened into primitive arrays.
 *
 * <ul>
 *   <li>images and categories of the ground truth, in file order (image sizes are needed only for {@code segm});</li>
 *   <li>ground truths: image id, category id, annotation id, box {@code [x, y, w, h]}, the annotation's
 *       {@code area} field, {@code iscrowd};</li>
 *   <li>detections: image id, category id, id ({@code 1..N} in file order, as {@code loadRes} assigns), score, box,
 *       area (as {@code loadRes} computes it).</li>
 * </ul>
 *
 * <p>Annotation {@code i}'s box is {@code box[4i .. 4i+3]}. Instances are built with {@link Builder} and are
 * effectively immutable (arrays are not exposed for writing outside this package by convention: accessors return
 * the backing arrays for speed; do not modify them).
 */
public final class EvalDataset {

    private final long[] imageIds;
    private final int[] imageHeights;
    private final int[] imageWidths;
    private final long[] categoryIds;
    private final String[] categoryNames;

    private final int gtCount;
    private final long[] gtImageId;
    private final long[] gtCategoryId;
    private final long[] gtId;
    private final double[] gtBox;
    private final double[] gtArea;
    private final boolean[] gtCrowd;

    private final int dtCount;
    private final long[] dtImageId;
    private final long[] dtCategoryId;
    private final long[] dtId;
    private final double[] dtScore;
    private final double[] dtBox;
    private final double[] dtArea;

    private EvalDataset(Builder b) {
        imageIds = Arrays.copyOf(b.imageIds, b.imageCount);
        imageHeights = Arrays.copyOf(b.imageHeights, b.imageCount);
        imageWidths = Arrays.copyOf(b.imageWidths, b.imageCount);
        categoryIds = Arrays.copyOf(b.categoryIds, b.categoryCount);
        categoryNames = Arrays.copyOf(b.categoryNames, b.categoryCount);
        gtCount = b.gtCount;
        gtImageId = Arrays.copyOf(b.gtImageId, gtCount);
        gtCategoryId = Arrays.copyOf(b.gtCategoryId, gtCount);
        gtId = Arrays.copyOf(b.gtId, gtCount);
        gtBox = Arrays.copyOf(b.gtBox, 4 * gtCount);
        gtArea = Arrays.copyOf(b.gtArea, gtCount);
        gtCrowd = Arrays.copyOf(b.gtCrowd, gtCount);
        dtCount = b.dtCount;
        dtImageId = Arrays.copyOf(b.dtImageId, dtCount);
        dtCategoryId = Arrays.copyOf(b.dtCategoryId, dtCount);
        dtId = Arrays.copyOf(b.dtId, dtCount);
        dtScore = Arrays.copyOf(b.dtScore, dtCount);
        dtBox = Arrays.copyOf(b.dtBox, 4 * dtCount);
        dtArea = Arrays.copyOf(b.dtArea, dtCount);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int imageCount() {
        return imageIds.length;
    }

    public long[] imageIds() {
        return imageIds;
    }

    public int[] imageHeights() {
        return imageHeights;
    }

    public int[] imageWidths() {
        return imageWidths;
    }

    public int categoryCount() {
        return categoryIds.length;
    }

    public long[] categoryIds() {
        return categoryIds;
    }

    /** Category names ({@code null} entries where the file had none). */
    public String[] categoryNames() {
        return categoryNames;
    }

    public int gtCount() {
        return gtCount;
    }

    public long[] gtImageId() {
        return gtImageId;
    }

    public long[] gtCategoryId() {
        return gtCategoryId;
    }

    public long[] gtId() {
        return gtId;
    }

    public double[] gtBox() {
        return gtBox;
    }

    public double[] gtArea() {
        return gtArea;
    }

    public boolean[] gtCrowd() {
        return gtCrowd;
    }

    public int dtCount() {
        return dtCount;
    }

    public long[] dtImageId() {
        return dtImageId;
    }

    public long[] dtCategoryId() {
        return dtCategoryId;
    }

    public long[] dtId() {
        return dtId;
    }

    public double[] dtScore() {
        return dtScore;
    }

    public double[] dtBox() {
        return dtBox;
    }

    public double[] dtArea() {
        return dtArea;
    }

    /** Accumulates images, categories, ground truths and detections; arrays grow geometrically. */
    public static final class Builder {
        private int imageCount;
        private long[] imageIds = new long[16];
        private int[] imageHeights = new int[16];
        private int[] imageWidths = new int[16];
        private int categoryCount;
        private long[] categoryIds = new long[16];
        private String[] categoryNames = new String[16];

        private int gtCount;
        private long[] gtImageId = new long[16];
        private long[] gtCategoryId = new long[16];
        private long[] gtId = new long[16];
        private double[] gtBox = new double[64];
        private double[] gtArea = new double[16];
        private boolean[] gtCrowd = new boolean[16];

        private int dtCount;
        private long[] dtImageId = new long[16];
        private long[] dtCategoryId = new long[16];
        private long[] dtId = new long[16];
        private double[] dtScore = new double[16];
        private double[] dtBox = new double[64];
        private double[] dtArea = new double[16];

        private Builder() {
        }

        public Builder image(long id, int height, int width) {
            if (imageCount == imageIds.length) {
                int n = imageCount * 2;
                imageIds = Arrays.copyOf(imageIds, n);
                imageHeights = Arrays.copyOf(imageHeights, n);
                imageWidths = Arrays.copyOf(imageWidths, n);
            }
            imageIds[imageCount] = id;
            imageHeights[imageCount] = height;
            imageWidths[imageCount] = width;
            imageCount++;
            return this;
        }

        public Builder category(long id, String name) {
            if (categoryCount == categoryIds.length) {
                int n = categoryCount * 2;
                categoryIds = Arrays.copyOf(categoryIds, n);
                categoryNames = Arrays.copyOf(categoryNames, n);
            }
            categoryIds[categoryCount] = id;
            categoryNames[categoryCount] = name;
            categoryCount++;
            return this;
        }

        /** Adds a ground truth; {@code area} is the annotation's {@code area} field (used for area ranges). */
        public Builder gt(long imageId, long categoryId, long id, double x, double y, double w, double h,
                double area, boolean crowd) {
            if (gtCount == gtId.length) {
                int n = gtCount * 2;
                gtImageId = Arrays.copyOf(gtImageId, n);
                gtCategoryId = Arrays.copyOf(gtCategoryId, n);
                gtId = Arrays.copyOf(gtId, n);
                gtBox = Arrays.copyOf(gtBox, 4 * n);
                gtArea = Arrays.copyOf(gtArea, n);
                gtCrowd = Arrays.copyOf(gtCrowd, n);
            }
            gtImageId[gtCount] = imageId;
            gtCategoryId[gtCount] = categoryId;
            gtId[gtCount] = id;
            gtBox[4 * gtCount] = x;
            gtBox[4 * gtCount + 1] = y;
            gtBox[4 * gtCount + 2] = w;
            gtBox[4 * gtCount + 3] = h;
            gtArea[gtCount] = area;
            gtCrowd[gtCount] = crowd;
            gtCount++;
            return this;
        }

        /** Adds a detection with an explicit id and area (see {@code loadRes} for how they are derived). */
        public Builder dt(long imageId, long categoryId, long id, double score, double x, double y, double w,
                double h, double area) {
            if (dtCount == dtId.length) {
                int n = dtCount * 2;
                dtImageId = Arrays.copyOf(dtImageId, n);
                dtCategoryId = Arrays.copyOf(dtCategoryId, n);
                dtId = Arrays.copyOf(dtId, n);
                dtScore = Arrays.copyOf(dtScore, n);
                dtBox = Arrays.copyOf(dtBox, 4 * n);
                dtArea = Arrays.copyOf(dtArea, n);
            }
            dtImageId[dtCount] = imageId;
            dtCategoryId[dtCount] = categoryId;
            dtId[dtCount] = id;
            dtScore[dtCount] = score;
            dtBox[4 * dtCount] = x;
            dtBox[4 * dtCount + 1] = y;
            dtBox[4 * dtCount + 2] = w;
            dtBox[4 * dtCount + 3] = h;
            dtArea[dtCount] = area;
            dtCount++;
            return this;
        }

        /**
         * Adds a box detection as {@code loadRes} does for a bbox result: id = its 1-based position among the
         * detections, area = {@code w * h}.
         */
        public Builder boxResult(long imageId, long categoryId, double score, double x, double y, double w,
                double h) {
            return dt(imageId, categoryId, dtCount + 1, score, x, y, w, h, w * h);
        }

        public int gtCount() {
            return gtCount;
        }

        public int dtCount() {
            return dtCount;
        }

        public EvalDataset build() {
            return new EvalDataset(this);
        }
    }
}
