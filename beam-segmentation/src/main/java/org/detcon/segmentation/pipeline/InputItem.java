package org.detcon.segmentation.pipeline;

import java.util.List;
import java.util.Objects;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoImage;

/**
 * One input of the pipeline before it is read: an image (or, for a SHARDS input, a shard file) under the input
 * root. For a COCO input it carries the image's COCO entry and its annotations as they are in the annotation file;
 * they are rasterised into the {@code gt} mask set by the worker that processes the image, after the inputs were
 * spread out ({@link ComputeMasks}), not while listing.
 *
 * @param key         the object key relative to the input root
 * @param source      the full URI, as recorded in sample metadata and dead letters
 * @param cocoImage   the COCO image entry, or null
 * @param annotations the image's COCO annotations (empty for a non-COCO input)
 */
public record InputItem(String key, String source, CocoImage cocoImage, List<CocoAnnotation> annotations) {

    public InputItem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }

    public static InputItem plain(String key, String source) {
        return new InputItem(key, source, null, List.of());
    }

    public boolean isCoco() {
        return cocoImage != null;
    }
}
