package org.detcon.trainer.augment;

import java.util.List;
import org.detcon.core.labelmap.LabelMap;

/**
 * One augmented view: the image as float CHW (3×size×size, normalised if the config says so), the label maps
 * moved with it (nearest), and the geometry that was applied.
 */
public record View(float[] pixels, int size, List<LabelMap> labelMaps, CropWindow crop, boolean flipped) {
}
