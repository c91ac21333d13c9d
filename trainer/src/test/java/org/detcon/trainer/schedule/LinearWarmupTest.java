package org.detcon.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The detection schedule (warmup, then steps), hand-computed. */
class LinearWarmupTest {

    @Test
    void warmupRampsLinearlyThenTheStepsApply() {
        // the 1x protocol scaled down: base 0.02, 10 warmup steps from 0.001x, x0.1 at 60 and 80 of 90
        LrSchedule s = new LinearWarmup(new StepDecaySchedule(0.02, 90, new long[] {60, 80}, 0.1), 10, 0.001);
        assertEquals(0.02 * 0.001, s.at(0), 1e-15);
        assertEquals(0.02 * (0.001 + 0.999 * 5 / 10.0), s.at(5), 1e-15);
        assertEquals(0.02 * (0.001 + 0.999 * 9 / 10.0), s.at(9), 1e-15);
        assertEquals(0.02, s.at(10), 0);
        assertEquals(0.02, s.at(59), 0);
        assertEquals(0.002, s.at(60), 1e-15);
        assertEquals(0.0002, s.at(80), 1e-15);
        assertEquals(90, s.totalSteps());
        // a milestone inside the warmup multiplies both
        LrSchedule early = new LinearWarmup(new StepDecaySchedule(1, 10, new long[] {2}, 0.5), 4, 0.5);
        assertEquals(0.5 * (0.5 + 0.5 * 3 / 4.0), early.at(3), 1e-15);
        assertEquals(1, new LinearWarmup(new StepDecaySchedule(1, 10, new long[0], 0.1), 0, 0.001).at(0), 0);
        assertThrows(IllegalArgumentException.class,
                () -> new LinearWarmup(new StepDecaySchedule(1, 10, new long[0], 0.1), 5, 1.5));
    }
}
