package org.detcon.segmentation.fh;

/**
 * Union-find over pixels for the FH merge passes, one 16-byte node per pixel in a single int array (parent, size,
 * float32 threshold bits, spare) so that a root's parent, size and threshold share a cache line.
 *
 * <p>The threshold {@code thr = (float)(cint + k/size)} (skimage's {@code inner_cost}) is cached at the root
 * because it only changes when the component does. skimage makes the smaller index the root and never compresses
 * paths; only the merge decisions (which depend on size and cint, kept at whatever the root is) and the final
 * raster-order numbering matter, so this uses union by size and path halving, which give the same partition.
 */
final class DisjointSet {

    static final int PARENT = 0;
    static final int SIZE = 1;
    static final int THR = 2;
    static final int SPARE = 3;

    /** node i at [4i .. 4i+3]. */
    final int[] node;
    final double k;
    final int n;

    DisjointSet(int n, double k) {
        if (n > (Integer.MAX_VALUE >> 2) - 4) {
            throw new IllegalArgumentException("too many pixels for the union-find: " + n);
        }
        this.k = k;
        this.n = n;
        node = new int[n << 2];
        int t0 = Float.floatToRawIntBits((float) (0.0 + k / 1.0));
        for (int i = 0, j = 0; i < n; i++, j += 4) {
            node[j] = i;
            node[j + SIZE] = 1;
            node[j + THR] = t0;
        }
    }

    int find(int x) {
        final int[] nd = node;
        for (;;) {
            int p = nd[x << 2];
            if (p == x) {
                return x;
            }
            int gp = nd[p << 2];
            nd[x << 2] = gp;
            x = gp;
        }
    }

    int size(int root) {
        return node[(root << 2) + SIZE];
    }

    float thr(int root) {
        return Float.intBitsToFloat(node[(root << 2) + THR]);
    }

    void setThr(int root, float t) {
        node[(root << 2) + THR] = Float.floatToRawIntBits(t);
    }

    /** Joins roots a != b (union by size); returns the new root, whose size is the sum. */
    int union(int a, int b) {
        int sa = node[(a << 2) + SIZE];
        int sb = node[(b << 2) + SIZE];
        int root = sa >= sb ? a : b;
        int child = root == a ? b : a;
        node[child << 2] = root;
        node[(root << 2) + SIZE] = sa + sb;
        return root;
    }

    /** Dense labels numbered by first appearance in raster order (the spare slot maps roots to labels). */
    int[] labels() {
        final int[] nd = node;
        for (int i = 0; i < n; i++) {
            nd[(i << 2) + SPARE] = -1;
        }
        int[] out = new int[n];
        int next = 0;
        for (int p = 0; p < n; p++) {
            int r = find(p);
            int j = (r << 2) + SPARE;
            int lab = nd[j];
            if (lab < 0) {
                lab = next++;
                nd[j] = lab;
            }
            out[p] = lab;
        }
        return out;
    }
}
