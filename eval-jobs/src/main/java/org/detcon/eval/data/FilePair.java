package org.detcon.eval.data;

import java.nio.file.Path;

/** One sample of a file-based dataset: its id, the image file and the file of its target (label map, depth). */
public record FilePair(String id, Path image, Path target) {
}
