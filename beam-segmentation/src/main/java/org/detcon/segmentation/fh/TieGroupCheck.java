package org.detcon.segmentation.fh;

/**
 * EXACT mode with equal non-zero costs: decides, when the merge passes reach a group of edges sharing a truncated
 * key (a superset of every group of equal costs), whether every processing order of the group provably leads to the
 * same state. If so numpy's order (which may permute equal costs) gives the same result as the stable order; if
 * not, the caller switches to the exact introsort. See {@link FhMerge#runPacked}.
 */
final class TieGroupCheck {
    final int n;
    final int[] offA;
    final int[] offB;
    /** stamp[root] == current group id when the root is already used by an edge of the group. */
    int[] stamp;
    int group;
    int groupsChecked;

    TieGroupCheck(int n, int[] offA, int[] offB) {
        this.n = n;
        this.offA = offA;
        this.offB = offB;
    }

    /** End (exclusive) of the group starting at i in a[0..m), by truncated key. */
    static int groupEnd(long[] a, int i, int m) {
        long key = a[i] >>> PackedEdgeSort.SLOT_BITS;
        int j = i + 1;
        while (j < m && (a[j] >>> PackedEdgeSort.SLOT_BITS) == key) {
            j++;
        }
        return j;
    }

    /**
     * Main pass: whether every order of the group a[i..j) gives the same state. True when the non-internal
     * edges join pairwise disjoint component pairs (no edge can affect another), or when all of them must merge
     * whatever the order (every touched component's threshold exceeds the group's largest cost, and so does
     * any threshold a merge inside the group can create, {@code (float)(cmin + k/N) > cmax}; then the result
     * is the connected components, with cint = the common cost of each tied subset), or when none can merge
     * (every touched threshold is at most the smallest cost; the rejects are then checked again in the
     * min_size pass).
     */
    boolean independentMain(long[] a, int i, int j, DisjointSet ds, double[] costsBySlot) {
        double cmin = Double.POSITIVE_INFINITY;
        double cmax = Double.NEGATIVE_INFINITY;
        for (int q = i; q < j; q++) {
            double c = costsBySlot[(int) (a[q] & PackedEdgeSort.SLOT_MASK)];
            cmin = Math.min(cmin, c);
            cmax = Math.max(cmax, c);
        }
        boolean disjoint = true;
        boolean allMerge = (double) (float) (cmin + ds.k / (double) n) > cmax;
        boolean noneMerge = true;
        nextGroup();
        for (int q = i; q < j; q++) {
            int s = (int) (a[q] & PackedEdgeSort.SLOT_MASK);
            int blk = FhMerge.blockOfSlot(s, n);
            int ra = ds.find(s + offA[blk]);
            int rb = ds.find(s + offB[blk]);
            if (ra == rb) {
                continue;
            }
            if (stamp[ra] == group || stamp[rb] == group) {
                disjoint = false;
            }
            stamp[ra] = group;
            stamp[rb] = group;
            double t = (double) Math.min(ds.thr(ra), ds.thr(rb));
            allMerge &= cmax < t;
            noneMerge &= t <= cmin;
            if (!disjoint && !allMerge && !noneMerge) {
                return false;
            }
        }
        return true;
    }

    /**
     * min_size pass: whether every order of the rejects a[i..j) gives the same state: their component pairs
     * are pairwise disjoint, or no touched component is below min_size (then none can merge).
     */
    boolean independentMinSize(long[] a, int i, int j, DisjointSet ds, int minSize) {
        boolean disjoint = true;
        boolean noneSmall = true;
        nextGroup();
        for (int q = i; q < j; q++) {
            int s = (int) (a[q] & PackedEdgeSort.SLOT_MASK);
            int blk = FhMerge.blockOfSlot(s, n);
            int ra = ds.find(s + offA[blk]);
            int rb = ds.find(s + offB[blk]);
            if (ra == rb) {
                continue;
            }
            if (stamp[ra] == group || stamp[rb] == group) {
                disjoint = false;
            }
            stamp[ra] = group;
            stamp[rb] = group;
            noneSmall &= ds.size(ra) >= minSize && ds.size(rb) >= minSize;
            if (!disjoint && !noneSmall) {
                return false;
            }
        }
        return true;
    }

    private void nextGroup() {
        if (stamp == null) {
            stamp = new int[n];
        }
        if (++group == 0) {
            java.util.Arrays.fill(stamp, 0);
            group = 1;
        }
        groupsChecked++;
    }
}
