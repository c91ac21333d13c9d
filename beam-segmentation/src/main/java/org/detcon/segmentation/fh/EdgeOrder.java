package org.detcon.segmentation.fh;

/**
 * Computes the edge costs and puts the edges in the order skimage processes them ({@code np.argsort(costs)},
 * numpy 1.24's introsort), choosing the fastest way that gives that order.
 *
 * <p><b>Packed path</b> ({@link PackedEdgeSort}): a stable sort. In EXACT mode, when no two non-zero costs are
 * equal it equals numpy's order: the non-zero costs are strictly increasing, so their order is
 * unique, and all zero costs come first in both orders. The zero costs' mutual order cannot matter: every
 * zero-cost edge whose endpoints are in different components merges (the threshold {@code (float)(cint + k/size)}
 * is at least {@code (float)(k/N) > 0}, which the caller checks), so after the zero block the partition is the
 * connected components of the zero-cost edges whatever their order, with the same sizes and cint = 0 everywhere;
 * in the min_size pass they are all internal and skipped. When equal non-zero costs exist, the merge passes check
 * that each group of (possibly) tied edges is order-independent ({@link FhMerge#runPacked}); if one is not, or
 * there is no room for the packed path, the costs go to the exact introsort port ({@link NumpyIntroSort}) in edge
 * order.
 */
final class EdgeOrder {

    /** Bytes of headroom kept free when deciding whether the packed path's arrays fit. */
    private static final long HEADROOM = 32L << 20;

    /** Exactly one of the two forms is set. */
    long[] packed;
    double[] costsBySlot;
    /** EXACT mode with equal non-zero costs: the merge must check that tie groups are order-independent. */
    boolean checkTies;
    double[] sortedCosts;
    int[] sortedPayloads;

    private EdgeOrder() {
    }

    /** Costs from the smoothed planes, then the sort. {@code planes[c]} are nulled as soon as possible. */
    static EdgeOrder compute(EdgeGraph g, double[][] planes, FhMode mode, boolean zeroAlwaysMerges,
            FhProfile profile, long[] phaseTimes) {
        EdgeOrder r = new EdgeOrder();
        long e = g.edgeCount;
        long n = (long) g.width * g.height;
        boolean packedPath = PackedEdgeSort.supports(g.width, g.height) && (mode == FhMode.FAST || zeroAlwaysMerges)
                && fits(32L * n + PackedEdgeSort.workBytes(e));
        if (!packedPath) {
            double[] costs = g.costs(planes);
            release(planes);
            phaseTimes[0] = now(profile);
            int[] order = g.payloads();
            NumpyIntroSort.sort(costs, order);
            r.sortedCosts = costs;
            r.sortedPayloads = order;
            if (profile != null) {
                profile.introsortCalls++;
            }
            return r;
        }
        double[] bySlot = g.costsBySlot(planes);
        release(planes);
        phaseTimes[0] = now(profile);
        PackedEdgeSort.Outcome[] outcome = new PackedEdgeSort.Outcome[1];
        long[] packed = PackedEdgeSort.packAndSort(g, bySlot, outcome);
        PackedEdgeSort.Outcome out = outcome[0];
        if (out == PackedEdgeSort.Outcome.UNIQUE || mode == FhMode.FAST || out == PackedEdgeSort.Outcome.TIES) {
            r.packed = packed;
            r.costsBySlot = bySlot;
            r.checkTies = mode == FhMode.EXACT && out == PackedEdgeSort.Outcome.TIES;
            if (profile != null) {
                profile.radixCalls++;
            }
            return r;
        }
        packed = null;
        r.useIntrosortFromSlots(g, bySlot, profile);
        return r;
    }

    /**
     * Replaces the packed form by numpy's exact order (introsort port) of the costs, taken from the slot layout
     * (needed when the tie groups are not provably order-independent).
     */
    void useIntrosortFromSlots(EdgeGraph g, double[] bySlot, FhProfile profile) {
        if (packed != null && profile != null) {
            profile.radixCalls--; // counted when the packed order was handed out
        }
        packed = null;
        costsBySlot = null;
        checkTies = false;
        int[] order = g.payloads();
        double[] costs = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            costs[i] = bySlot[g.slotOfPayload(order[i])];
        }
        NumpyIntroSort.sort(costs, order);
        sortedCosts = costs;
        sortedPayloads = order;
        if (profile != null) {
            profile.introsortCalls++;
            profile.tieFallbacks++;
        }
    }

    private static long now(FhProfile profile) {
        return profile == null ? 0 : profile.now();
    }

    private static void release(double[][] planes) {
        for (int c = 0; c < planes.length; c++) {
            planes[c] = null;
        }
    }

    private static boolean fits(long bytes) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return rt.maxMemory() - used - HEADROOM >= bytes;
    }
}
