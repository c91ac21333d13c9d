package org.detcon.segmentation.fh;

/**
 * Union-find over pixels for the FH merge passes: a parent array (4 bytes a pixel, so that finds stay in cache)
 * and, per pixel, the root data {@code size} and float32 threshold bits interleaved in one array so that a root's
 * two fields share a cache line.
 *
 * <p>The threshold {@code thr = (float)(cint + k/size)} (skimage's {@code inner_cost}) is cached at the root
 * because it only changes when the component does. skimage makes the smaller index the root and never compresses
 * paths; only the merge decisions (which depend on size and cint, kept at whatever the root is) and the final
 * raster-order numbering matter, so this uses union by size and path halving, which give the same partition.
 */
final class DisjointSet {

    final int[] parent;
    /** [2i] = size, [2i+1] = float bits of the threshold (valid at roots). */
    final int[] meta;
    final double k;
    final int n;

    DisjointSet(int n, double k) {
        if (n > (Integer.MAX_VALUE >> 1) - 4) {
            throw new IllegalArgumentException("too many pixels for the union-find: " + n);
        }
        this.k = k;
        this.n = n;
        parent = new int[n];
        meta = new int[n << 1];
        int t0 = Float.floatToRawIntBits((float) (0.0 + k / 1.0));
        for (int i = 0, j = 0; i < n; i++, j += 2) {
            parent[i] = i;
            meta[j] = 1;
            meta[j + 1] = t0;
        }
    }

    int find(int x) {
        final int[] par = parent;
        for (;;) {
            int p = par[x];
            if (p == x) {
                return x;
            }
            int gp = par[p];
            par[x] = gp;
            x = gp;
        }
    }

    int size(int root) {
        return meta[root << 1];
    }

    float thr(int root) {
        return Float.intBitsToFloat(meta[(root << 1) + 1]);
    }

    void setThr(int root, float t) {
        meta[(root << 1) + 1] = Float.floatToRawIntBits(t);
    }

    /** Joins roots a != b (union by size); returns the new root, whose size is the sum. */
    int union(int a, int b) {
        int sa = meta[a << 1];
        int sb = meta[b << 1];
        int root = sa >= sb ? a : b;
        int child = root == a ? b : a;
        parent[child] = root;
        meta[root << 1] = sa + sb;
        return root;
    }

    /**
     * Dense labels numbered by first appearance in raster order. Ends the set's use: the size slots are reused
     * to map roots to labels.
     */
    int[] labels() {
        final int[] m = meta;
        for (int i = 0; i < n; i++) {
            m[i << 1] = -1;
        }
        int[] out = new int[n];
        int next = 0;
        for (int p = 0; p < n; p++) {
            int j = find(p) << 1;
            int lab = m[j];
            if (lab < 0) {
                lab = next++;
                m[j] = lab;
            }
            out[p] = lab;
        }
        return out;
    }
}
