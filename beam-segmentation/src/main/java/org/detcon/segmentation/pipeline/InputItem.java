package org.detcon.segmentation.pipeline;

import java.io.Serializable;
import java.util.Objects;

/**
 * One input of the pipeline before it is read: an image (or, for a SHARDS input, a shard file) under the input
 * root. For COCO inputs it carries the image id, its annotated size and its ground-truth masks already
 * encoded as the {@code gt} mask set ({@code KEY.gt.json} text, null when the image has no annotations).
 *
 * @param key      the object key relative to the input root
 * @param source   the full URI, as recorded in sample metadata and dead letters
 */
public record InputItem(String key, String source, long cocoImageId, int cocoWidth, int cocoHeight,
                        String gtMasks, int gtCount) implements Serializable {

    private static final long serialVersionUID = 1L;

    public InputItem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
    }

    public static InputItem plain(String key, String source) {
        return new InputItem(key, source, -1, 0, 0, null, 0);
    }

    public boolean isCoco() {
        return cocoImageId >= 0;
    }
}
