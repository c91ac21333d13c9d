package org.detcon.segmentation.fh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianKernelTest {

    private static double[] hex(String... h) {
        double[] out = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            out[i] = Double.parseDouble(h[i]);
        }
        return out;
    }

    @Test
    void sigma08ComputedWeightsAreBitExact() {
        double[] expected = hex("0x1.fea50a329ccc5p-2", "0x1.d39491a41f9e1p-3", "0x1.66fa84b3e9043p-6",
                "0x1.ce27258cea946p-12");
        assertArrayEquals(expected, GaussianKernel.compute(0.8), 0.0);
        assertArrayEquals(expected, GaussianKernel.halfWeights(0.8), 0.0);
        assertEquals(3, GaussianKernel.radius(0.8));
    }

    @Test
    void hardCodedNumpyWeightsForOtherSigmas() {
        assertArrayEquals(hex("0x1.92b965ef5aaefp-1", "0x1.b405b9842b206p-4", "0x1.14aebe6a24088p-12"),
                GaussianKernel.halfWeights(0.5), 0.0);
        assertArrayEquals(hex("0x1.9884a307594fbp-2", "0x1.ef8eb9ad499bap-3", "0x1.ba4b99d1799a9p-5",
                "0x1.22724cb7eb26ap-8", "0x1.18a9c4fd536c6p-13"), GaussianKernel.halfWeights(1.0), 0.0);
        assertTrue(GaussianKernel.isReferenceSigma(0.5) && GaussianKernel.isReferenceSigma(1.0));
        // computed weights are within an ulp or so of numpy's SIMD-exp ones
        double[] c = GaussianKernel.compute(1.0);
        double[] n = GaussianKernel.halfWeights(1.0);
        for (int i = 0; i < c.length; i++) {
            assertEquals(n[i], c[i], 4 * Math.ulp(n[i]));
        }
    }

    @Test
    void noSmoothingAndRadius() {
        assertNull(GaussianKernel.halfWeights(0.0));
        assertNull(GaussianKernel.halfWeights(1e-15));
        assertEquals(0, GaussianKernel.radius(0.1));
        assertEquals(8, GaussianKernel.radius(2.0));
        double[] w = GaussianKernel.compute(2.0);
        double s = w[0];
        for (int i = 1; i < w.length; i++) {
            s += 2 * w[i];
        }
        assertEquals(1.0, s, 1e-12);
    }

    @Test
    void pairwiseSumFollowsNumpyBlocks() {
        // 10 terms: 8 accumulators then the tail, which differs from a left-to-right sum here
        double[] a = {1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1};
        double blocks = ((1e16 + 1.0) + (1.0 + 1.0)) + ((1.0 + 1.0) + (1.0 + 1.0));
        double expected = (blocks + -1e16) + 1.0;
        double leftToRight = 0.0;
        for (double v : a) {
            leftToRight += v;
        }
        assertTrue(expected != leftToRight, "test array must distinguish the orders");
        assertEquals(expected, GaussianKernel.pairwiseSum(a, 0, 10), 0.0);
        assertEquals(6.0, GaussianKernel.pairwiseSum(new double[] {1, 2, 3}, 0, 3), 0.0);
    }

    @Test
    void reflectIndexRepeatsEdgeSamples() {
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 3, 3, 2, 1}, GaussianBlur.reflectIndex(4, 3));
        // a line shorter than the radius is reflected repeatedly
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0}, GaussianBlur.reflectIndex(1, 3));
        assertArrayEquals(new int[] {1, 1, 0, 0, 1, 1, 0, 0}, GaussianBlur.reflectIndex(2, 3));
    }
}
