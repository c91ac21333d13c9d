package org.detcon.eval.data;

import java.util.Objects;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;

/**
 * One semantic-segmentation sample: an RGB image and its per-pixel class ids (the dataset's ignore value, e.g.
 * 255, where unlabelled), at the same size.
 *
 * @param id    the dataset's identifier of the sample (e.g. {@code 2007_000032}, {@code frankfurt/frankfurt_000000_000294})
 * @param label class ids in [0, numClasses) or the ignore index
 */
public record SegSample(String id, Image8 image, LabelMap label) {

    public SegSample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(label, "label");
        if (image.width() != label.width() || image.height() != label.height()) {
            throw new IllegalArgumentException(id + ": label is " + label.width() + "x" + label.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
    }
}
