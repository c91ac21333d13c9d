package org.detcon.segmentation.fh;

/**
 * Union-find over pixels for the FH merge passes. Per root: component {@code size} and the float32 merge threshold
 * {@code thr = (float)(cint + k/size)} (skimage's {@code inner_cost}), cached at the root because it only changes
 * when the component does. As in skimage the smaller index becomes the root, so the root of a component is its
 * minimum pixel; {@link #find} uses path halving (does not change any merge decision).
 */
final class DisjointSet {

    final int[] parent;
    final int[] size;
    final float[] thr;
    final double k;

    DisjointSet(int n, double k) {
        this.k = k;
        parent = new int[n];
        size = new int[n];
        thr = new float[n];
        float t0 = (float) (0.0 + k / 1.0);
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
            thr[i] = t0;
        }
    }

    int find(int x) {
        int[] par = parent;
        int p = par[x];
        while (p != x) {
            int gp = par[p];
            par[x] = gp;
            x = p;
            p = gp;
        }
        return x;
    }

    /** Joins roots a != b; returns the new root. Size updated; threshold left to the caller. */
    int union(int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        parent[hi] = lo;
        size[lo] = size[a] + size[b];
        return lo;
    }
}
