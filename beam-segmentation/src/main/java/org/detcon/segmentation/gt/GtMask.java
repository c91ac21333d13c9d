package org.detcon.segmentation.gt;

import java.util.Objects;
import org.detcon.core.mask.Rle;

/** One ground-truth instance mask at image resolution, with the annotation it came from. */
public record GtMask(long annotationId, int categoryId, boolean iscrowd, Rle mask) {
    public GtMask {
        Objects.requireNonNull(mask, "mask");
    }

    /** Foreground pixel count. */
    public long area() {
        return mask.area();
    }
}
