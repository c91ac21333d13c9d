package org.detcon.eval.data.nyu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.Fixtures;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.metrics.depth.DepthRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures from tools/fixtures/make_eval_data_fixtures.py (h5py, 512-byte userblock, MATLAB axis order). */
class NyuDepthV2Test {

    private static final int N = 3, H = 4, W = 5;

    /** rgb[n, y, x, c] = (n*50 + y*20 + x*7 + c*3) % 256. */
    private static int rgb(int n, int y, int x, int c) {
        return (n * 50 + y * 20 + x * 7 + c * 3) % 256;
    }

    /** depth[n, y, x] = 0.5 + n + 0.25 y + 0.125 x, with 0 at [0,0,0], NaN at [1,1,1], 11 at [2,H-1,W-1]. */
    private static float depth(int n, int y, int x) {
        if (n == 0 && y == 0 && x == 0) {
            return 0f;
        }
        if (n == 1 && y == 1 && x == 1) {
            return Float.NaN;
        }
        if (n == 2 && y == H - 1 && x == W - 1) {
            return 11f;
        }
        return (float) (0.5 + n + 0.25 * y + 0.125 * x);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nyu/nyu_tiny_v73.mat", "nyu/nyu_tiny_contiguous.mat"})
    void readsMatlabLayoutWithUserblock(String fixture) {
        try (NyuDepthV2Mat ds = NyuDepthV2Mat.open(Fixtures.path(fixture), DepthRange.NYU)) {
            assertEquals(N, ds.size());
            assertEquals(List.of("0", "1", "2"), ds.ids());
            int n = 0;
            for (DepthSample s : ds) {
                assertEquals(W, s.image().width());
                assertEquals(H, s.image().height());
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        for (int c = 0; c < 3; c++) {
                            assertEquals(rgb(n, y, x, c), s.image().sample(y, x, c), "rgb n=" + n + " y=" + y + " x=" + x);
                        }
                        float d = depth(n, y, x);
                        assertEquals(d, s.depth().depth(y, x), 0f, "depth n=" + n + " y=" + y + " x=" + x);
                        boolean valid = Float.isFinite(d) && d > 0 && d <= 10;
                        assertEquals(valid, s.valid()[y * W + x]);
                    }
                }
                n++;
            }
            assertEquals(N, n);
        }
    }

    @Test
    void subsetAndCustomRange() {
        try (var ds = NyuDepthV2Mat.open(Fixtures.path("nyu/nyu_tiny_v73.mat"), new DepthRange(1.0, 20.0),
                new int[] {2, 0})) {
            assertEquals(List.of("2", "0"), ds.ids());
            assertEquals(3, ds.imagesInFile());
            DepthSample s = ds.load(0);
            assertEquals(rgb(2, 3, 4, 2), s.image().sample(3, 4, 2));
            assertTrue(s.valid()[H * W - 1]); // 11 m within [1, 20]
            DepthSample s0 = ds.load(1);
            // n = 0: depths below 1 m are invalid under this range
            assertFalse(s0.valid()[1]); // 0.625 m
            assertTrue(s0.valid()[W * 3 + 4]); // 0.5 + 0.75 + 0.5 = 1.75 m
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> NyuDepthV2Mat.open(Fixtures.path("nyu/nyu_tiny_v73.mat"), DepthRange.NYU, new int[] {3}));
    }

    @Test
    void missingDepthsDatasetNamesFileAndField() {
        Path f = Fixtures.path("nyu/nyu_no_depths.mat");
        var e = assertThrows(MalformedDataException.class, () -> NyuDepthV2Mat.open(f, DepthRange.NYU));
        assertEquals(f, e.file());
        assertEquals("depths", e.field());
        assertTrue(e.getMessage().contains("dataset missing"), e.getMessage());
    }

    @Test
    void notAnHdf5File(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("broken.mat");
        Files.write(f, new byte[2048]);
        var e = assertThrows(MalformedDataException.class, () -> NyuDepthV2Mat.open(f, DepthRange.NYU));
        assertEquals(f, e.file());
    }

    @Test
    void readsPngExport() {
        var ds = NyuDepthV2Png.open(Fixtures.path("nyu/png"), DepthRange.NYU);
        assertEquals(List.of("0000", "0001"), ds.ids());
        for (int k = 0; k < 2; k++) {
            DepthSample s = ds.load(k);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int mm = 500 + 1000 * k + 250 * y + 125 * x;
                    if (y == 0 && x == 0) {
                        mm = 0;
                    } else if (y == H - 1 && x == W - 1) {
                        mm = 12000;
                    }
                    assertEquals(mm / 1000f, s.depth().depth(y, x), 0f);
                    assertEquals(mm > 0 && mm <= 10000, s.valid()[y * W + x], "valid y=" + y + " x=" + x);
                    assertEquals(rgb(k, y, x, 1), s.image().sample(y, x, 1));
                }
            }
            assertEquals(H * W - 2, s.validCount());
        }
    }

    @Test
    void pngExportErrors(@TempDir Path tmp) throws Exception {
        Path root = Fixtures.copy("nyu/png", tmp.resolve("png"));
        Fixtures.writeGray8(root.resolve("depth/0001.png"), W, H, 3);
        var ds = NyuDepthV2Png.open(root, DepthRange.NYU);
        var e = assertThrows(MalformedDataException.class, () -> ds.load(1));
        assertEquals(root.resolve("depth/0001.png"), e.file());
        assertEquals("depth bit depth", e.field());

        Files.delete(root.resolve("depth/0001.png"));
        e = assertThrows(MalformedDataException.class, () -> NyuDepthV2Png.open(root, DepthRange.NYU));
        assertEquals(root.resolve("rgb/0001.png"), e.file());
    }
}
