package org.detcon.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void roundTripsAndLeavesOutWhatIsNotFinite() {
        ProgressLine p = new ProgressLine(7, 100, 2.5, 31.25);
        assertEquals("@progress {\"done\":7,\"total\":100,\"loss\":2.5,\"img_per_s\":31.25}", p.format());
        assertEquals(p, ProgressLine.parse(p.format()).orElseThrow());
        ProgressLine start = new ProgressLine(0, 100, Double.NaN, Double.POSITIVE_INFINITY);
        assertEquals("@progress {\"done\":0,\"total\":100}", start.format());
        ProgressLine back = ProgressLine.parse(start.format()).orElseThrow();
        assertTrue(Double.isNaN(back.loss()) && Double.isNaN(back.imgPerSec()));
        assertFalse(back.checkpoint());
    }

    @Test
    void checkpointLinesCarryTheirSecondsAndNoLoss() {
        ProgressLine c = ProgressLine.checkpoint(8, 100, 1.25);
        assertEquals("@progress {\"done\":8,\"total\":100,\"checkpoint_s\":1.25}", c.format());
        ProgressLine back = ProgressLine.parse(c.format()).orElseThrow();
        assertTrue(back.checkpoint());
        assertEquals(1.25, back.checkpointSeconds());
        assertTrue(Double.isNaN(back.loss()));
        assertFalse(new ProgressLine(8, 100, 2.5, 3.0).checkpoint());
    }

    @Test
    void otherLinesAreLogLines() {
        assertTrue(ProgressLine.parse("step 3/10 loss 1.2").isEmpty());
        assertTrue(ProgressLine.parse("@progres {}").isEmpty());
        assertThrows(UncheckedIOException.class, () -> ProgressLine.parse("@progress {not json"));
    }
}
