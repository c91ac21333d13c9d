package org.detcon.segmentation.fh;

/**
 * Sorts the edge costs into the order skimage processes them ({@code np.argsort(costs)}, numpy 1.24 introsort).
 *
 * <p>Fast path (EXACT mode): stable radix sort, then a check for equal non-zero costs. If there are none, the
 * result equals numpy's: the non-zero costs are then strictly increasing, so their order is unique, and all zero
 * costs come first in both orders. Their mutual order cannot matter: every zero-cost edge whose endpoints are in
 * different components merges (the threshold {@code (float)(cint + k/size)} is at least {@code (float)(k/N) > 0},
 * checked), so after the zero block the partition is the connected components of the zero-cost edges whatever
 * their order, with the same sizes and cint = 0 everywhere; in the min_size pass they are all internal and skipped.
 * Otherwise the costs are restored to edge order and the exact introsort runs.
 */
final class EdgeOrder {

    /** Bytes of headroom kept free when deciding whether the radix scratch arrays fit. */
    private static final long HEADROOM = 32L << 20;

    private EdgeOrder() {
    }

    /**
     * Sorts {@code costs} in place and returns the edge payloads ({@link EdgeGraph#payloads()}) in the same order.
     *
     * @param zeroAlwaysMerges whether every zero-cost edge provably merges (k/N does not round to 0f)
     */
    static int[] sort(EdgeGraph g, double[] costs, FhMode mode, boolean zeroAlwaysMerges, FhProfile profile) {
        int n = costs.length;
        int[] order = g.payloads();
        boolean radixFits = fits(RadixSort.scratchBytes(n));
        if (!radixFits || (mode == FhMode.EXACT && !zeroAlwaysMerges)) {
            NumpyIntroSort.sort(costs, order);
            if (profile != null) {
                profile.introsortCalls++;
            }
            return order;
        }
        RadixSort.sort(costs, order);
        if (mode == FhMode.FAST || !RadixSort.hasNonZeroTies(costs)) {
            if (profile != null) {
                profile.radixCalls++;
            }
            return order;
        }
        // Non-zero ties: numpy's tie order is needed. Put the costs back into edge order and run the introsort.
        double[] byEdge = new double[n];
        for (int i = 0; i < n; i++) {
            byEdge[g.edgeIndex(order[i])] = costs[i];
        }
        System.arraycopy(byEdge, 0, costs, 0, n);
        byEdge = null;
        order = g.payloads();
        NumpyIntroSort.sort(costs, order);
        if (profile != null) {
            profile.introsortCalls++;
            profile.tieFallbacks++;
        }
        return order;
    }

    private static boolean fits(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return rt.maxMemory() - used - HEADROOM >= bytes;
    }
}
