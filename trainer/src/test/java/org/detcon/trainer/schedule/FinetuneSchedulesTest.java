package org.detcon.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.detcon.trainer.Fixtures;
import org.junit.jupiter.api.Test;

/** The fine-tuning schedules against PyTorch's MultiStepLR and PolynomialLR (schedules_sgd.json). */
class FinetuneSchedulesTest {

    @Test
    void stepAndPolyMatchTorch() {
        JsonNode f = Fixtures.load("schedules_sgd.json");
        int total = f.get("total").asInt();
        double base = f.get("base").asDouble();
        StepDecaySchedule step = StepDecaySchedule.ofFractions(base, total, new double[] {
            f.get("milestones").get(0).asDouble(), f.get("milestones").get(1).asDouble()}, f.get("gamma").asDouble());
        PolySchedule poly = new PolySchedule(base, total, f.get("power").asDouble());
        assertArrayEquals(new long[] {14, 18}, step.milestones());
        for (int k = 0; k < total; k++) {
            assertEquals(f.get("step_lrs").get(k).asDouble(), step.at(k), 1e-15, "step " + k);
            // PyTorch applies the poly factor recursively; the closed form agrees to rounding
            assertEquals(f.get("poly_lrs").get(k).asDouble(), poly.at(k), 1e-12, "poly " + k);
        }
        assertEquals(0, poly.at(total), 0);
        assertThrows(IllegalArgumentException.class, () -> step.at(-1));
        assertThrows(IllegalArgumentException.class,
                () -> StepDecaySchedule.ofFractions(0.1, 10, new double[] {0.9, 0.7}, 0.1));
    }
}
