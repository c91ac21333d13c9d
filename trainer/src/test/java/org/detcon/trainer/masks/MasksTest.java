package org.detcon.trainer.masks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.detcon.core.labelmap.GridMasks;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;

class MasksTest {

    private static final MaskConfig HARD2 = new MaskConfig(2, 16, false);
    private static final MaskConfig SOFT2 = new MaskConfig(2, 16, true);

    private static LabelMap map(int w, int h, int... labels) {
        return new LabelMap(w, h, labels);
    }

    // 2x2 cells of 2x2 pixels:
    // 0 0 | 1 1
    // 0 1 | 1 1
    // ----+----
    // 2 2 | 3 3
    // 2 3 | 3 9      label 9 covers one pixel and wins no cell
    private static final LabelMap M = map(4, 4,
            0, 0, 1, 1,
            0, 1, 1, 1,
            2, 2, 3, 3,
            2, 3, 3, 9);

    @Test
    void majorityPerCell() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, MaskCandidates.majority(M, 2));
        MaskCandidates c = MaskCandidates.fromLabelMap(M, HARD2);
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.ids()); // 9 does not exist
        assertArrayEquals(new float[] {0, 1, 0, 0}, c.weights()[1], 0f);
    }

    @Test
    void tiesGoToTheLowestLabel() {
        // each 2x2 cell is half/half; the larger label comes first in raster order in the second cell
        int[] win = MaskCandidates.majority(map(4, 4,
                0, 5, 7, 7,
                5, 0, 2, 2,
                4, 4, 3, 3,
                4, 4, 3, 3), 2);
        assertArrayEquals(new int[] {0, 2, 4, 3}, win);
    }

    @Test
    void softOptionUsesCoverageFractions() {
        MaskCandidates c = MaskCandidates.fromLabelMap(M, SOFT2);
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.ids()); // existence does not change with the option
        // label 1 covers 1/4 of cell 0 and all of cell 1 -> normalised [0.2, 0.8, 0, 0]
        assertArrayEquals(new float[] {0.2f, 0.8f, 0, 0}, c.weights()[1], 1e-6f);
        // label 3 covers 1/4 of cell 2 and 3/4 of cell 3 -> [0, 0, 0.25, 0.75]
        assertArrayEquals(new float[] {0, 0, 0.25f, 0.75f}, c.weights()[3], 1e-6f);
    }

    @Test
    void cellsFollowAdaptivePoolingWhenSizeIsNotDivisible() {
        // 5 columns into 2 cells: [0, 3) and [2, 5) (column 2 belongs to both), one row
        LabelMap m = map(5, 1, 1, 1, 2, 2, 2);
        var cov = CellCoverage.of(m, 1);
        assertEquals(0.4f, cov.get(1)[0], 1e-6f);
        var cov2 = CellCoverage.of(map(5, 2, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2), 2);
        assertArrayEquals(new float[] {2f / 3, 0, 2f / 3, 0}, cov2.get(1), 1e-6f);
        assertArrayEquals(new float[] {1f / 3, 1, 1f / 3, 1}, cov2.get(2), 1e-6f);
    }

    @Test
    void overlappingMasksExistWhenTheyCoverHalfACell() {
        LabelMap a = map(4, 4, // 2 pixels of cell 0 -> 0.5 -> exists
                1, 1, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0);
        LabelMap b = map(4, 4, // one pixel per cell (0.25 each) -> does not exist
                1, 0, 1, 0,
                0, 0, 0, 0,
                1, 0, 1, 0,
                0, 0, 0, 0);
        LabelMap c = map(4, 4, // overlaps a; 3/4 of cell 0 and 1/4 of cell 1
                1, 1, 1, 0,
                1, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0);
        MaskCandidates k = MaskCandidates.fromOverlapping(List.of(a, b, c), 2);
        assertArrayEquals(new int[] {0, 2}, k.ids());
        assertArrayEquals(new float[] {1, 0, 0, 0}, k.weights()[0], 1e-6f);
        assertArrayEquals(new float[] {0.75f, 0.25f, 0, 0}, k.weights()[1], 1e-6f);
    }

    @Test
    void samplingIsUniformWithReplacementAmongExistingAndSeeded() {
        MaskCandidates c = MaskCandidates.fromLabelMap(M, HARD2);
        MaskSampler s = new MaskSampler(HARD2);
        SampledMasks a = s.sample(c, 1, new SplittableRandom(42));
        SampledMasks b = s.sample(c, 1, new SplittableRandom(42));
        assertArrayEquals(a.ids(), b.ids());
        assertEquals(16, a.count());
        int[] counts = new int[10];
        SplittableRandom rng = new SplittableRandom(1);
        int draws = 0;
        for (int i = 0; i < 4000; i++) {
            SampledMasks x = s.sample(c, 1, rng);
            Set<Integer> distinct = new HashSet<>();
            for (int r = 0; r < x.count(); r++) {
                counts[x.ids()[r]]++;
                distinct.add(x.ids()[r]);
                draws++;
                int idx = java.util.Arrays.binarySearch(c.ids(), x.ids()[r]);
                assertArrayEquals(c.weights()[idx], x.weights()[r], 0f); // weights go with the id
            }
            assertTrue(distinct.size() <= 4);
        }
        assertEquals(0, counts[9]);
        for (int l = 0; l < 4; l++) {
            assertEquals(0.25, counts[l] / (double) draws, 0.01, "label " + l);
        }
        assertNotEquals(0, s.sample(c, 1, new SplittableRandom(3)).ids().length);
    }

    @Test
    void emptyViewFallsBackToAWholeImageMaskThatMatchesNothing() {
        MaskCandidates none = MaskCandidates.fromOverlapping(List.of(), 2);
        SampledMasks s1 = new MaskSampler(3).sample(none, 1, new SplittableRandom(0));
        SampledMasks s2 = new MaskSampler(3).sample(none, 2, new SplittableRandom(0));
        assertArrayEquals(new int[] {-1, -1, -1}, s1.ids());
        assertArrayEquals(new int[] {-2, -2, -2}, s2.ids());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, s1.weights()[0], 0f);
    }

    @Test
    void gridCellsAreTheirOwnMajorityLabels() {
        LabelMap g7 = GridMasks.grid(7, 224, 224);
        assertArrayEquals(java.util.stream.IntStream.range(0, 49).toArray(), MaskCandidates.majority(g7, 7));
    }

    @Test
    void batchTensors() {
        MaskCandidates c = MaskCandidates.fromLabelMap(M, HARD2);
        MaskSampler s = new MaskSampler(HARD2);
        try (NDManager m = Torch.newManager()) {
            MaskBatch b = MaskBatch.of(m, List.of(s.sample(c, 1, new SplittableRandom(1)),
                    s.sample(c, 1, new SplittableRandom(2))));
            assertEquals(new Shape(2, 16), b.ids().getShape());
            assertEquals(new Shape(2, 16, 4), b.weights().getShape());
            assertArrayEquals(new float[] {1, 1}, b.weights().sum(new int[] {2}).get(":, 0").toFloatArray(), 1e-6f);
        }
    }
}
