package org.detcon.eval.detection.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** torchvision's sampler rules (the draw itself is the caller's generator, so properties, not golden values). */
class BalancedSamplerTest {

    @Test
    void drawsAtMostTheFractionOfPositivesAndFillsWithNegatives() {
        int[] labels = new int[1000];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10) == 0 ? 1 + r.nextInt(3) : r.nextInt(5) == 0 ? -1 : 0;
        }
        BalancedSampler s = new BalancedSampler(256, 0.25);
        BalancedSampler.Sample a = s.sample(labels, new SplittableRandom(7));
        assertEquals(64, a.positives().length);
        assertEquals(192, a.negatives().length);
        Set<Integer> seen = new HashSet<>();
        for (int i : a.positives()) {
            assertTrue(labels[i] >= 1);
            assertTrue(seen.add(i));
        }
        for (int i : a.negatives()) {
            assertEquals(0, labels[i]);
            assertTrue(seen.add(i));
        }
        BalancedSampler.Sample b = s.sample(labels, new SplittableRandom(7));
        assertArrayEquals(a.positives(), b.positives(), "same generator, same draw");
        assertArrayEquals(a.negatives(), b.negatives());
    }

    @Test
    void fewPositivesLeaveRoomForNegativesAndSmallPoolsAreTakenWhole() {
        int[] labels = {0, 1, -1, 0, 0, 2, -1};
        BalancedSampler.Sample s = new BalancedSampler(256, 0.5).sample(labels, new SplittableRandom(1));
        assertArrayEquals(new int[] {1, 5}, s.positives());
        assertArrayEquals(new int[] {0, 3, 4}, s.negatives());
        BalancedSampler.Sample none = new BalancedSampler(4, 0.5).sample(new int[] {-1, -1}, new SplittableRandom(1));
        assertEquals(0, none.positives().length + none.negatives().length);
    }
}
