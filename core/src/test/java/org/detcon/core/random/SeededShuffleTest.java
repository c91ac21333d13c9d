package org.detcon.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeededShuffleTest {

    @Test
    void aPermutationFixedByTheSeedAndTheSameForListsAndArrays() {
        List<Integer> list = new ArrayList<>(IntStream.range(0, 50).boxed().toList());
        int[] array = IntStream.range(0, 50).toArray();
        SeededShuffle.shuffle(list, new SplittableRandom(7));
        SeededShuffle.shuffle(array, new SplittableRandom(7));
        assertArrayEquals(array, list.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(IntStream.range(0, 50).boxed().toList(), list.stream().sorted().toList());
        int[] other = IntStream.range(0, 50).toArray();
        SeededShuffle.shuffle(other, new SplittableRandom(8));
        assertNotEquals(List.of(array), List.of(other));
        // hand-checked: n = 3, draws j = nextInt(3) then nextInt(2)
        SplittableRandom r = new SplittableRandom(1);
        int j2 = r.nextInt(3);
        int j1 = r.nextInt(2);
        int[] expect = {0, 1, 2};
        int t = expect[2];
        expect[2] = expect[j2];
        expect[j2] = t;
        t = expect[1];
        expect[1] = expect[j1];
        expect[j1] = t;
        int[] got = {0, 1, 2};
        SeededShuffle.shuffle(got, new SplittableRandom(1));
        assertArrayEquals(expect, got);
    }
}
