package org.detcon.segmentation.fh;

/** How the edge order is computed. */
public enum FhMode {
    /**
     * Bit-identical to skimage 0.19 / numpy 1.24 on every input. Uses a radix sort when the result provably equals
     * numpy's introsort order (no ties among non-zero costs) and the exact introsort port otherwise.
     */
    EXACT,
    /**
     * Always a stable radix sort (ties by ascending edge index); never runs the introsort. Identical to skimage
     * whenever there are no non-zero cost ties, which is almost every natural photo; may differ on tie-heavy
     * inputs (posterized, synthetic, sigma 0).
     */
    FAST
}
