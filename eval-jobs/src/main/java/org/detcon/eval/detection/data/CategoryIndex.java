package org.detcon.eval.detection.data;

import java.util.Arrays;
import java.util.List;
import org.detcon.core.coco.CocoCategory;
import org.detcon.core.coco.CocoDataset;

/**
 * COCO category ids ↔ the detector's contiguous class indices: ids in ascending order become 1..K (0 is the
 * background), so the detector has K + 1 classes (81 for COCO's 80 categories), as detectron2 numbers them.
 */
public final class CategoryIndex {

    private final int[] ids;
    private final String[] names;

    public CategoryIndex(int[] sortedIds, String[] names) {
        for (int i = 1; i < sortedIds.length; i++) {
            if (sortedIds[i] <= sortedIds[i - 1]) {
                throw new IllegalArgumentException("category ids must be ascending and distinct: "
                        + Arrays.toString(sortedIds));
            }
        }
        this.ids = sortedIds.clone();
        this.names = names.clone();
    }

    public static CategoryIndex of(CocoDataset data) {
        int[] ids = data.categoryIds();
        String[] names = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            names[i] = data.category(ids[i]).map(CocoCategory::name).orElse(Integer.toString(ids[i]));
        }
        return new CategoryIndex(ids, names);
    }

    /** Classes of the detector, background included. */
    public int numClasses() {
        return ids.length + 1;
    }

    /** The class index of a category id, or −1 if unknown. */
    public int label(int categoryId) {
        int i = Arrays.binarySearch(ids, categoryId);
        return i < 0 ? -1 : i + 1;
    }

    public int categoryId(int label) {
        return ids[label - 1];
    }

    public String name(int label) {
        return names[label - 1];
    }

    public List<Integer> categoryIds() {
        return Arrays.stream(ids).boxed().toList();
    }
}
