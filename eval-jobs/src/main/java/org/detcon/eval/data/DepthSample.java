package org.detcon.eval.data;

import java.util.Objects;
import org.detcon.core.image.Image8;

/**
 * One depth-estimation sample: an RGB image, its depth map (metres) and the valid-depth mask (finite, &gt; 0 and
 * within the dataset's configured range), all the same size.
 */
public record DepthSample(String id, Image8 image, DepthMap depth, boolean[] valid) {

    public DepthSample {
        Objects.requireNonNull(id, "id");
        if (image.width() != depth.width() || image.height() != depth.height()) {
            throw new IllegalArgumentException(id + ": depth is " + depth.width() + "x" + depth.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
        if (valid.length != depth.metres().length) {
            throw new IllegalArgumentException(id + ": valid mask has " + valid.length + " entries");
        }
    }

    public long validCount() {
        long n = 0;
        for (boolean v : valid) {
            if (v) {
                n++;
            }
        }
        return n;
    }
}
