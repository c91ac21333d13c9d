package org.detcon.segmentation.fh;

/**
 * Decides, when the min_size pass reaches a group of rejected edges of equal cost, whether every processing order
 * of the group provably leads to the same state. If so numpy's order (which may permute equal costs) gives the same
 * result as the stable order; if not, {@link FhMerge} uses numpy's order of the group.
 */
final class TieGroupCheck {
    private final EdgeCosts edges;
    /** stamp[root] == current group id when the root is already used by an edge of the group. */
    private int[] stamp;
    private int group;

    TieGroupCheck(EdgeCosts edges) {
        this.edges = edges;
    }

    /**
     * Whether every order of the {@link EdgeKey edges} {@code keys[i..j)} gives the same state in the min_size pass: their
     * component pairs are pairwise disjoint (no edge can affect another), or no touched component is below
     * min_size (then none can merge).
     */
    boolean independentMinSize(long[] keys, int i, int j, DisjointSet ds, int minSize) {
        boolean disjoint = true;
        boolean noneSmall = true;
        nextGroup();
        for (int q = i; q < j; q++) {
            int s = EdgeKey.slot(keys[q]);
            int ra = ds.find(edges.endpointA(s));
            int rb = ds.find(edges.endpointB(s));
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
            stamp = new int[edges.n];
        }
        if (++group == 0) {
            java.util.Arrays.fill(stamp, 0);
            group = 1;
        }
    }
}
