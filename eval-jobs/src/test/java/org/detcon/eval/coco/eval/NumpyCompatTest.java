package org.detcon.eval.coco.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumpyCompatTest {

    @Test
    void iouThresholdsAreNumpysLinspace() {
        double[] t = EvalParams.defaults(IouType.BBOX).iouThrs();
        // repr() of np.linspace(.5, 0.95, 10) under numpy 1.24
        double[] expected = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95};
        assertArrayEquals(expected, t, 0.0);
        assertEquals(0.75, t[5], 0.0); // summarize relies on exact equality for IoU=.75
    }

    @Test
    void recallThresholdsAreNumpysLinspace() {
        double[] r = EvalParams.defaults(IouType.BBOX).recThrs();
        assertEquals(101, r.length);
        // float.hex() of np.linspace(.0, 1.00, 101)[:12]
        String[] hex = {"0x0.0p0", "0x1.47ae147ae147bp-7", "0x1.47ae147ae147bp-6", "0x1.eb851eb851eb8p-6",
            "0x1.47ae147ae147bp-5", "0x1.999999999999ap-5", "0x1.eb851eb851eb8p-5", "0x1.1eb851eb851ecp-4",
            "0x1.47ae147ae147bp-4", "0x1.70a3d70a3d70ap-4", "0x1.999999999999ap-4", "0x1.c28f5c28f5c29p-4"};
        for (int i = 0; i < hex.length; i++) {
            assertEquals(Double.parseDouble(hex[i]), r[i], 0.0, "recThrs[" + i + "]");
        }
        assertEquals(1.0, r[100], 0.0);
        assertEquals(0.07 * 0 + 7 * 0.01, r[7], 0.0);
    }

    @Test
    void pairwiseSumMatchesNumpyBlocking() {
        double[] a = new double[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 / (i + 3);
        }
        // reference: the same recursion written out naively
        assertEquals(ref(a, 0, 300), NumpyCompat.pairwiseSum(a, 0, 300), 0.0);
        assertEquals(ref(a, 5, 7), NumpyCompat.pairwiseSum(a, 5, 7), 0.0);
        assertEquals(ref(a, 0, 128), NumpyCompat.pairwiseSum(a, 0, 128), 0.0);
        // np.sum([0.1]*10) == 1.0 (pairwise) whereas sequential summation gives 0.9999999999999999
        double[] tenths = new double[10];
        java.util.Arrays.fill(tenths, 0.1);
        assertEquals(1.0, NumpyCompat.pairwiseSum(tenths, 0, 10), 0.0);
    }

    @Test
    void sumAndMeanAddPairwiseSumsOf8192Blocks() {
        // values from numpy 1.24: np.sum / np.mean of these vectors (float.hex())
        double[] a = new double[20000];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 / (i + 3);
        }
        assertEquals(Double.parseDouble("0x1.1f62f1d779199p+3"), NumpyCompat.sum(a, a.length), 0.0);
        assertEquals(Double.parseDouble("0x1.d6daa2c2ece99p-12"), NumpyCompat.mean(a, a.length), 0.0);
        double[] b = new double[80800];
        for (int i = 0; i < b.length; i++) {
            b[i] = ((i * 7919) % 1000) / 1000.0;
        }
        assertEquals(Double.parseDouble("0x1.ff7c4774fab54p-2"), NumpyCompat.mean(b, b.length), 0.0);
    }

    private static double ref(double[] a, int off, int n) {
        if (n < 8) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[off + i];
            }
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, off, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                s += a[off + i];
            }
            return s;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return ref(a, off, n2) + ref(a, off + n2, n - n2);
    }

    @Test
    void stableDescendingSortKeepsTiesInOrderAndNanLast() {
        double[] s = new double[60];
        int[] idx = new int[60];
        for (int i = 0; i < 60; i++) {
            s[i] = (i % 5) * 0.25;
            idx[i] = i;
        }
        s[7] = Double.NaN;
        s[8] = -0.0;
        NumpyCompat.stableSortByScoreDesc(idx, 0, 60, s, new int[60]);
        int p = 0;
        for (double v : new double[] {1.0, 0.75, 0.5, 0.25, 0.0}) {
            int last = -1;
            for (int i = 0; i < 60; i++) {
                if (s[i] == v) { // -0.0 == 0.0 ties with 0.0 (index 8 stays in place among zeros)
                    assertEquals(i, idx[p++], "value " + v);
                    last = i;
                }
            }
        }
        assertEquals(7, idx[59]);
    }
}
