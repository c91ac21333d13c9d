package org.detcon.core.coco;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A COCO instances file: images, categories and annotations, in file order, with index helpers (built once, on
 * first use, as primitive arrays: no map entry per annotation).
 */
public final class CocoDataset {

    private final List<CocoImage> images;
    private final List<CocoCategory> categories;
    private final List<CocoAnnotation> annotations;
    private volatile Index index;

    public CocoDataset(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {
        this.images = List.copyOf(images);
        this.categories = List.copyOf(categories);
        this.annotations = List.copyOf(annotations);
    }

    public List<CocoImage> images() {
        return images;
    }

    public List<CocoCategory> categories() {
        return categories;
    }

    public List<CocoAnnotation> annotations() {
        return annotations;
    }

    /** The image with this id, if any. */
    public Optional<CocoImage> image(long imageId) {
        Index ix = index();
        int i = Arrays.binarySearch(ix.imageIds, imageId);
        return i < 0 ? Optional.empty() : Optional.of(images.get(ix.imageOrder[i]));
    }

    /** The category with this id, if any. */
    public Optional<CocoCategory> category(int categoryId) {
        Index ix = index();
        int i = Arrays.binarySearch(ix.categoryIds, categoryId);
        return i < 0 ? Optional.empty() : Optional.of(categories.get(ix.categoryOrder[i]));
    }

    /** Category ids in ascending order (what pycocotools' {@code getCatIds()} returns for a sorted file). */
    public int[] categoryIds() {
        return index().categoryIds.clone();
    }

    /** The annotations of one image, in file order; empty if none (or no such image). */
    public List<CocoAnnotation> annotationsForImage(long imageId) {
        Index ix = index();
        int lo = lowerBound(ix.annImageIds, imageId);
        int hi = lowerBound(ix.annImageIds, imageId + 1);
        if (lo == hi) {
            return List.of();
        }
        List<CocoAnnotation> out = new ArrayList<>(hi - lo);
        for (int i = lo; i < hi; i++) {
            out.add(annotations.get(ix.annOrder[i]));
        }
        return Collections.unmodifiableList(out);
    }

    private Index index() {
        Index ix = index;
        if (ix == null) {
            synchronized (this) {
                ix = index;
                if (ix == null) {
                    ix = new Index(images, categories, annotations);
                    index = ix;
                }
            }
        }
        return ix;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sorted id arrays with the positions they came from. */
    private static final class Index {
        final long[] imageIds;
        final int[] imageOrder;
        final int[] categoryIds;
        final int[] categoryOrder;
        final long[] annImageIds;
        final int[] annOrder;

        Index(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {
            int n = images.size();
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = images.get(i).id();
            }
            imageOrder = sortedOrder(ids);
            imageIds = new long[n];
            for (int i = 0; i < n; i++) {
                imageIds[i] = ids[imageOrder[i]];
            }
            int c = categories.size();
            long[] cids = new long[c];
            for (int i = 0; i < c; i++) {
                cids[i] = categories.get(i).id();
            }
            categoryOrder = sortedOrder(cids);
            categoryIds = new int[c];
            for (int i = 0; i < c; i++) {
                categoryIds[i] = (int) cids[categoryOrder[i]];
            }
            int a = annotations.size();
            long[] aids = new long[a];
            for (int i = 0; i < a; i++) {
                aids[i] = annotations.get(i).imageId();
            }
            annOrder = sortedOrder(aids);
            annImageIds = new long[a];
            for (int i = 0; i < a; i++) {
                annImageIds[i] = aids[annOrder[i]];
            }
        }

        /** Stable order of positions by key: a radix-free merge sort on primitive arrays. */
        private static int[] sortedOrder(long[] keys) {
            int n = keys.length;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            int[] tmp = new int[n];
            for (int width = 1; width < n; width *= 2) {
                for (int lo = 0; lo < n; lo += 2 * width) {
                    int mid = Math.min(lo + width, n);
                    int hi = Math.min(lo + 2 * width, n);
                    int i = lo;
                    int j = mid;
                    int k = lo;
                    while (i < mid && j < hi) {
                        tmp[k++] = keys[order[j]] < keys[order[i]] ? order[j++] : order[i++];
                    }
                    while (i < mid) {
                        tmp[k++] = order[i++];
                    }
                    while (j < hi) {
                        tmp[k++] = order[j++];
                    }
                }
                int[] t = order;
                order = tmp;
                tmp = t;
            }
            return order;
        }
    }
}
