package org.detcon.segmentation.fh;

/** How ties between equal edge costs are treated. */
public enum FhMode {
    /**
     * Bit-identical to skimage 0.19 / numpy 1.24 on every input: groups of equal costs are processed in the stable
     * order when that provably gives the same result as numpy's introsort order, else in numpy's order.
     */
    EXACT,
    /**
     * The stable (cost, edge index) order always, never numpy's: identical to EXACT whenever no group of equal costs
     * matters, which is almost every natural photo; on tie-heavy inputs (posterized, synthetic, sigma 0) it may
     * differ from skimage.
     */
    FAST
}
