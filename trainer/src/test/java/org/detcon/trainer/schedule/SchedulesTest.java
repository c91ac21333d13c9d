package org.detcon.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void warmupThenCosineWithHandValues() {
        // base 0.2, batch 512 -> peak 0.4; warmup 10 of 110 steps
        LearningRateSchedule s = new LearningRateSchedule(0.2, 512, 10, 110);
        assertEquals(0.4, s.peak(), 1e-15);
        assertEquals(0.0, s.at(0), 0);
        assertEquals(0.04, s.at(1), 1e-15);
        assertEquals(0.2, s.at(5), 1e-15);
        assertEquals(0.4, s.at(10), 1e-15);          // end of warmup: cos(0) -> peak
        assertEquals(0.2, s.at(60), 1e-15);          // half-way through the decay: cos(pi/2)
        assertEquals(0.4 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.at(35), 1e-15);
        assertEquals(0.0, s.at(110), 1e-15);
        assertEquals(0.0, s.at(500), 1e-15);         // clipped after the end
    }

    @Test
    void detconBRecipeInEpochs() {
        // DetCon_B: base 0.2, batch 4096, warmup 10 of 1000 epochs, ~312 steps/epoch
        LearningRateSchedule s = LearningRateSchedule.ofEpochs(0.2, 4096, 10, 1000, 312);
        assertEquals(3120, s.warmupSteps());
        assertEquals(312000, s.totalSteps());
        assertEquals(3.2, s.peak(), 1e-12);
        assertEquals(1.6, s.at(1560), 1e-12);
    }

    @Test
    void noWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(0.3, 256, 0, 4);
        assertEquals(0.3, s.at(0), 1e-15);
        assertEquals(0.15, s.at(2), 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0.1, 256, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0.1, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new EmaSchedule(1.5, 10));
    }

    @Test
    void emaHandValues() {
        EmaSchedule e = new EmaSchedule(0.996, 100);
        assertEquals(0.996, e.tau(0), 1e-15);                       // cos 0 = 1
        assertEquals(1 - 0.004 * 0.5, e.tau(50), 1e-15);            // cos(pi/2) = 0
        assertEquals(1 - 0.004 * (Math.cos(Math.PI / 4) + 1) / 2, e.tau(25), 1e-15);
        assertEquals(1.0, e.tau(100), 1e-15);                       // cos(pi) = -1
        assertEquals(1.0, e.tau(1000), 1e-15);
        assertEquals(0.99, EmaSchedule.defaultBaseTau(300), 0);
        assertEquals(0.996, EmaSchedule.defaultBaseTau(1000), 0);
    }
}
