package org.detcon.segmentation.fh;

/**
 * Decides, when the min_size pass reaches a group of rejected edges of equal cost, whether every processing order
 * of the group provably leads to the same state. If so numpy's order (which may permute equal costs) gives the same
 * result as the stable order; if not, {@link FhMerge} uses numpy's order of the group.
 */
final class TieGroupCheck {
    private final int n;
    private final int[] offA;
    private final int[] offB;
    /** stamp[root] == current group id when the root is already used by an edge of the group. */
    private int[] stamp;
    private int group;

    TieGroupCheck(int n, int[] slotOffA, int[] slotOffB) {
        this.n = n;
        this.offA = slotOffA;
        this.offB = slotOffB;
    }

    /**
     * Whether every order of the {@link EdgeKey edges} {@code edges[i..j)} gives the same state in the min_size pass: their
     * component pairs are pairwise disjoint (no edge can affect another), or no touched component is below
     * min_size (then none can merge).
     */
    boolean independentMinSize(long[] edges, int i, int j, DisjointSet ds, int minSize) {
        boolean disjoint = true;
        boolean noneSmall = true;
        nextGroup();
        for (int q = i; q < j; q++) {
            int s = EdgeKey.slot(edges[q]);
            int blk = (s >= n ? 1 : 0) + (s >= 2 * n ? 1 : 0) + (s >= 3 * n ? 1 : 0);
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
    }
}
