package org.detcon.segmentation.fh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.junit.jupiter.api.Test;

class FhPropertyTest {

    static Image8 randomImage(Random rnd, int w, int h, int channels, int levels, int flatBlock) {
        byte[] px = new byte[w * h * channels];
        int bw = (w + flatBlock - 1) / flatBlock;
        int[] blockVal = new int[bw * ((h + flatBlock - 1) / flatBlock) * channels];
        for (int i = 0; i < blockVal.length; i++) {
            blockVal[i] = rnd.nextInt(levels) * (255 / Math.max(1, levels - 1));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int b = (y / flatBlock) * bw + x / flatBlock;
                for (int c = 0; c < channels; c++) {
                    int v = blockVal[b * channels + c];
                    if (rnd.nextInt(4) == 0) {
                        v = Math.min(255, v + rnd.nextInt(7));
                    }
                    px[(y * w + x) * channels + c] = (byte) v;
                }
            }
        }
        return new Image8(w, h, channels, px);
    }

    static void assertDenseFirstAppearance(LabelMap m) {
        int next = 0;
        for (int v : m.labels()) {
            assertTrue(v >= 0 && v <= next, "label " + v + " appears before label " + next);
            if (v == next) {
                next++;
            }
        }
        assertEquals(next, m.segmentCount());
    }

    @Test
    void labelsAreDenseByFirstAppearanceAndSegmentsRespectMinSize() {
        Random rnd = new Random(11);
        for (int it = 0; it < 40; it++) {
            int w = 1 + rnd.nextInt(60);
            int h = 1 + rnd.nextInt(60);
            int ch = rnd.nextBoolean() ? 1 : 3;
            Image8 img = randomImage(rnd, w, h, ch, 2 + rnd.nextInt(20), 1 + rnd.nextInt(8));
            int minSize = rnd.nextInt(60);
            double sigma = new double[] {0.0, 0.5, 0.8, 1.0, 1.3}[rnd.nextInt(5)];
            FhParams p = new FhParams(1 + rnd.nextInt(2000), sigma, minSize);
            LabelMap m = Felzenszwalb.segment(img, p);
            assertEquals(w, m.width());
            assertEquals(h, m.height());
            assertDenseFirstAppearance(m);
            int[] sizes = new int[m.segmentCount()];
            for (int v : m.labels()) {
                sizes[v]++;
            }
            if (sizes.length > 1) {
                for (int s : sizes) {
                    assertTrue(s >= minSize, "segment of " + s + " px < min_size " + minSize + " in " + p);
                }
            }
        }
    }

    /** Gradients quantised to a few steps: many equal non-zero costs, in chains and in isolated pairs. */
    static Image8 tieImage(Random rnd, int w, int h, int channels) {
        byte[] px = new byte[w * h * channels];
        double gx = rnd.nextDouble() * 3;
        double gy = rnd.nextDouble() * 3;
        int noise = rnd.nextInt(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    int v = (int) (40 + gx * x + gy * y + 20 * c) + (noise > 0 && rnd.nextInt(9) == 0 ? noise : 0);
                    px[(y * w + x) * channels + c] = (byte) Math.min(255, v);
                }
            }
        }
        return new Image8(w, h, channels, px);
    }

    /**
     * Checks the fast-path arguments (zero costs, tie groups proved order-independent) against the plain
     * introsort pipeline on random images with and without ties: EXACT must equal it every time.
     */
    @Test
    void fastPathsAgreeWithIntrosortEverywhere() {
        Random rnd = new Random(12);
        FhProfile prof = new FhProfile();
        for (int it = 0; it < 160; it++) {
            int w = 2 + rnd.nextInt(50);
            int h = 2 + rnd.nextInt(50);
            int ch = rnd.nextBoolean() ? 1 : 3;
            Image8 img = it % 2 == 0 ? randomImage(rnd, w, h, ch, 256, 1 + rnd.nextInt(10))
                    : tieImage(rnd, w, h, ch);
            FhParams p = new FhParams(new double[] {1, 10, 100, 500, 1000}[rnd.nextInt(5)],
                    new double[] {0.0, 0.5, 0.8}[rnd.nextInt(3)], rnd.nextInt(50));
            LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
            LabelMap intro = FelzenszwalbTestAccess.segmentIntrosortOnly(img, p);
            assertArrayEquals(intro.labels(), exact.labels(), "EXACT differs from introsort-only for " + p
                    + " on iteration " + it);
        }
        System.out.println("FH fast-path property test: " + prof);
        assertTrue(prof.tiesProvedIrrelevant() > 5, "the tie-group proof path must be exercised: " + prof);
        assertTrue(prof.tieFallbacks() > 5, "the introsort fallback must be exercised: " + prof);
    }

    @Test
    void grayscaleIsOneChannelNotReplicatedRgb() {
        Random rnd = new Random(3);
        Image8 gray = randomImage(rnd, 40, 30, 1, 256, 1);
        FhParams p = new FhParams(100, 0.8, 5);
        LabelMap g = Felzenszwalb.segment(gray, p);
        LabelMap rgb = Felzenszwalb.segment(gray.toRgb(), p);
        assertDenseFirstAppearance(g);
        // replicated RGB has costs sqrt(3)·|d|, so it yields more (or at least different) segments
        assertNotEquals(g.segmentCount(), rgb.segmentCount());
        assertTrue(rgb.segmentCount() > g.segmentCount());
        // two flat halves: both agree on exactly two segments
        byte[] px = new byte[20 * 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i % 20) < 10 ? 10 : 240);
        }
        Image8 halves = new Image8(20, 10, 1, px);
        assertEquals(2, Felzenszwalb.segment(halves, new FhParams(10, 0.8, 50)).segmentCount());
        assertEquals(2, Felzenszwalb.segment(halves.toRgb(), new FhParams(10, 0.8, 50)).segmentCount());
    }

    @Test
    void fastModeEqualsExactOnNoTieImage() {
        Random rnd = new Random(4);
        Image8 img = randomImage(rnd, 64, 48, 3, 256, 1);
        FhParams p = FhParams.of(500);
        FhProfile prof = new FhProfile();
        LabelMap exact = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
        LabelMap fast = Felzenszwalb.segment(img, p, FhMode.FAST, null);
        assertArrayEquals(exact.labels(), fast.labels());
        assertEquals(1, prof.calls());
        assertTrue(prof.totalNanos() > 0);
    }

    @Test
    void paramsValidation() {
        FhParams p = FhParams.of(1000);
        assertEquals(1000, p.minSize());
        assertEquals(0.8, p.sigma());
        assertEquals(1000 / 255.0, p.k());
        assertThrows(IllegalArgumentException.class, () -> new FhParams(0, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(-1, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(Double.NaN, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(Double.POSITIVE_INFINITY, 0.8, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, -0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new FhParams(100, 5000, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FhParams(100, 0.8, -1));
        assertTrue(e.getMessage().contains("minSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FhParams.of(0));
        assertThrows(NullPointerException.class, () -> Felzenszwalb.segment(null, p));
    }

    @Test
    void edgeGraphEndpointsAndPayloadsAgree() {
        for (int[] wh : new int[][] {{1, 1}, {1, 5}, {5, 1}, {2, 2}, {7, 5}, {13, 4}}) {
            EdgeGraph g = new EdgeGraph(wh[0], wh[1]);
            assertEquals(4L * wh[0] * wh[1] - 3L * wh[1] - 3L * wh[0] + 2, g.edgeCount());
            int[] pl = g.payloads();
            int[] offA = g.offsetsA();
            int[] offB = g.offsetsB();
            for (int e = 0; e < g.edgeCount(); e++) {
                int blk = pl[e] >>> EdgeGraph.BLOCK_SHIFT;
                int p = pl[e] & EdgeGraph.BASE_MASK;
                assertEquals(g.endpointA(e), p + offA[blk]);
                assertEquals(g.endpointB(e), p + offB[blk]);
                assertEquals(e, g.edgeIndex(pl[e]));
                if (e > 0) {
                    assertTrue(pl[e] > pl[e - 1], "payloads increase with the edge index");
                }
            }
        }
        EdgeGraph g = new EdgeGraph(3, 2);
        // right block first: edge 0 joins (0,1)-(0,0); down block starts at H(W-1) = 4
        assertEquals(1, g.endpointA(0));
        assertEquals(0, g.endpointB(0));
        assertEquals(3, g.endpointA(4));
        assertEquals(0, g.endpointB(4));
        // up-right: (y, x+1) and (y+1, x)
        assertEquals(1, g.endpointA(g.edgeCount() - 2));
        assertEquals(3, g.endpointB(g.edgeCount() - 2));
    }

    @Test
    void packedSortIsStableAndDetectsTies() {
        Random rnd = new Random(5);
        EdgeGraph g = new EdgeGraph(50, 40);
        double[] bySlot = new double[4 * 50 * 40];
        for (int i = 0; i < bySlot.length; i++) {
            int kind = rnd.nextInt(40);
            // zeros, exact ties, and a run (~200) of distinct costs that share one truncated key
            bySlot[i] = kind < 10 ? 0.0 : kind < 20 ? Math.sqrt(rnd.nextInt(300)) * 0.01
                    : kind == 20 ? 0.5 + rnd.nextInt(50) * 0x1p-40 : rnd.nextDouble();
        }
        long[] packed = PackedEdgeSort.pack(g, bySlot);
        assertEquals(g.edgeCount(), packed.length);
        assertEquals(PackedEdgeSort.Outcome.TIES, PackedEdgeSort.sort(packed, bySlot));
        for (int i = 1; i < packed.length; i++) {
            int s0 = (int) (packed[i - 1] & PackedEdgeSort.SLOT_MASK);
            int s1 = (int) (packed[i] & PackedEdgeSort.SLOT_MASK);
            assertTrue(bySlot[s0] < bySlot[s1] || (bySlot[s0] == bySlot[s1] && s0 < s1),
                    "stable (cost, slot) order at " + i);
        }
        // distinct non-zero costs (sub-ulp27 differences included) give UNIQUE
        double[] distinct = new double[bySlot.length];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = i % 7 == 0 ? 0.0 : 0.25 + (distinct.length - i) * 0x1p-31;
        }
        long[] p2 = PackedEdgeSort.pack(g, distinct);
        assertEquals(PackedEdgeSort.Outcome.UNIQUE, PackedEdgeSort.sort(p2, distinct));
        for (int i = 1; i < p2.length; i++) {
            assertTrue(distinct[(int) (p2[i - 1] & PackedEdgeSort.SLOT_MASK)]
                    <= distinct[(int) (p2[i] & PackedEdgeSort.SLOT_MASK)]);
        }
    }

    /** The truncated cost decides "cost < float threshold" exactly like the full cost. */
    @Test
    void truncatedCostComparesLikeFullCostAgainstFloats() {
        Random rnd = new Random(6);
        for (int i = 0; i < 200_000; i++) {
            double c = rnd.nextInt(10) == 0 ? Math.scalb(rnd.nextDouble(), -rnd.nextInt(60)) : rnd.nextDouble() * 2;
            float t = rnd.nextBoolean() ? (float) c : Math.nextUp((float) c);
            if (rnd.nextInt(3) == 0) {
                t = Math.nextDown(t);
            }
            long packed = (Double.doubleToRawLongBits(c) >>> PackedEdgeSort.DROP_BITS) << PackedEdgeSort.SLOT_BITS;
            double tc = PackedEdgeSort.truncatedCost(packed);
            assertEquals(c < (double) t, tc < (double) t, "c=" + c + " t=" + t);
            double up = PackedEdgeSort.truncatedCostUpper(packed);
            assertTrue(tc <= c && c < up, "c=" + c + " in [" + tc + ", " + up + ")");
            double kd = rnd.nextDouble() * Math.scalb(1.0, -rnd.nextInt(30));
            float lo = (float) (tc + kd);
            float hi = (float) (up + kd);
            if (lo == hi) {
                assertEquals(lo, (float) (c + kd), 0.0f, "bracketed threshold");
            }
        }
    }
}
