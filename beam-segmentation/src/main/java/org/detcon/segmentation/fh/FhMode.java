package org.detcon.segmentation.fh;

/** How the edge order is computed. */
public enum FhMode {
    /**
     * Bit-identical to skimage 0.19 / numpy 1.24 on every input. Uses a radix sort when the result provably equals
     * numpy's introsort order (no ties among non-zero costs) and the exact introsort port otherwise.
     */
    EXACT,
    /**
     * Stable (cost, edge index) order from the packed radix sort even when equal non-zero costs exist, so the
     * introsort never runs. Identical to EXACT (and skimage) whenever there are no such ties, which is almost every
     * natural photo, at the same speed; on tie-heavy inputs (posterized, synthetic, sigma 0) it is about 2x faster
     * but may differ from skimage. Falls back to the introsort only when the packed path does not fit in the heap
     * or the image has more than 2^24 pixels.
     */
    FAST
}
