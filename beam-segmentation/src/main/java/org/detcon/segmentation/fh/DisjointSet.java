package org.detcon.segmentation.fh;

/**
 * Union-find over pixels for the FH merge passes, 8 bytes a pixel so that it stays in cache as long as possible:
 * {@code parent[x]} is x's parent, or {@code -size} when x is a root (a find reads the size with the root), and
 * {@code thr[root]} holds the float32 bits of the root's threshold.
 *
 * <p>The threshold {@code thr = (float)(cint + k/size)} (skimage's {@code inner_cost}) is cached at the root
 * because it only changes when the component does. skimage makes the smaller index the root and never compresses
 * paths; only the merge decisions (which depend on size and cint, kept at whatever the root is) and the final
 * raster-order numbering matter, so this uses union by size and path halving, which give the same partition.
 */
final class DisjointSet {

    final int[] parent;
    /** Float bits of the threshold (valid at roots); reused for the labels at the end. */
    final int[] thr;
    final double k;
    final int n;
    /** Whether {@link #find} takes its first two steps branch-free (best while the set is mostly in cache). */
    boolean branchFree = true;

    DisjointSet(int n, double k) {
        if (n > (Integer.MAX_VALUE >> 1) - 4) {
            throw new IllegalArgumentException("too many pixels for the union-find: " + n);
        }
        this.k = k;
        this.n = n;
        parent = new int[n];
        thr = new int[n];
        java.util.Arrays.fill(parent, -1);
        java.util.Arrays.fill(thr, Float.floatToRawIntBits((float) (0.0 + k / 1.0)));
    }

    /**
     * The root of x. The first two steps are branch-free (a root stays put), so the common shallow finds cost no
     * mispredicted branch and several finds' loads can overlap; deeper paths continue with path halving.
     */
    int find(int x) {
        if (!branchFree) {
            return findHalving(x);
        }
        int z = parentOrSelf(parentOrSelf(x));
        if (!isRoot(z)) {
            return findHalving(x);
        }
        return z;
    }

    /**
     * x's parent, or x when x is a root (branch-free). When the result is a root, now or later, it is x's root: a
     * node that is not a root never becomes one again, and a root's tree only grows.
     */
    int parentOrSelf(int x) {
        int p = parent[x];
        int m = p >> 31; // -1 when x is a root
        return (x & m) | (p & ~m);
    }

    boolean isRoot(int x) {
        return parent[x] < 0;
    }

    private int findHalving(int x) {
        final int[] par = parent;
        int p;
        while ((p = par[x]) >= 0) {
            int gp = par[p];
            if (gp < 0) {
                return p;
            }
            par[x] = gp;
            x = gp;
        }
        return x;
    }

    int size(int root) {
        return -parent[root];
    }

    float thr(int root) {
        return Float.intBitsToFloat(thr[root]);
    }

    void setThr(int root, float t) {
        thr[root] = Float.floatToRawIntBits(t);
    }

    /** Joins roots a != b (union by size); returns the new root, whose size is the sum. */
    int union(int a, int b) {
        int sa = -parent[a];
        int sb = -parent[b];
        int root = sa >= sb ? a : b;
        int child = root == a ? b : a;
        parent[child] = root;
        parent[root] = -(sa + sb);
        return root;
    }

    /**
     * Dense labels numbered by first appearance in raster order. Ends the set's use: the threshold slots are
     * reused to map roots to labels.
     */
    int[] labels() {
        final int[] m = thr;
        java.util.Arrays.fill(m, -1);
        int[] out = new int[n];
        int next = 0;
        for (int p = 0; p < n; p++) {
            int r = find(p);
            int lab = m[r];
            if (lab < 0) {
                lab = next++;
                m[r] = lab;
            }
            out[p] = lab;
        }
        return out;
    }
}
