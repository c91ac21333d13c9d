package org.detcon.trainer.data;

import java.util.List;
import java.util.Objects;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.GridMasks;

/**
 * One training image with its masks at image resolution: either one partition label map (FH, grid, ground-truth
 * semantic) or an overlapping set of binary masks (ground-truth instances, proposals), whose list index is the id.
 */
public record Example(String key, Image8 image, List<LabelMap> masks, Kind kind) {

    /** How the masks are to be read. */
    public enum Kind {
        PARTITION,
        OVERLAPPING
    }

    public Example {
        Objects.requireNonNull(image, "image");
        masks = List.copyOf(masks);
        if (kind == Kind.PARTITION && masks.size() != 1) {
            throw new IllegalArgumentException("a partition is one label map, got " + masks.size());
        }
        for (LabelMap m : masks) {
            if (m.width() != image.width() || m.height() != image.height()) {
                throw new IllegalArgumentException(key + ": mask " + m.width() + "x" + m.height()
                        + " does not match image " + image.width() + "x" + image.height());
            }
        }
    }

    public static Example partition(String key, Image8 image, LabelMap labels) {
        return new Example(key, image, List.of(labels), Kind.PARTITION);
    }

    /** The image with an n×n grid made on the fly (n = 1: the global mask, for SimCLR). */
    public static Example grid(String key, Image8 image, int n) {
        return partition(key, image, GridMasks.grid(n, image.width(), image.height()));
    }

    public static Example overlapping(String key, Image8 image, List<LabelMap> binaryMasks) {
        return new Example(key, image, binaryMasks, Kind.OVERLAPPING);
    }
}
