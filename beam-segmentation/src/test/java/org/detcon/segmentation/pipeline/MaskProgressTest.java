package org.detcon.segmentation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress line in each phase of a job, hand-computed. */
class MaskProgressTest {

    @Test
    void maskingThenWritingThenDone() {
        // 1234 of 5000 in 67.4 s: 18.3 img/s, 3766 left -> 205.7 s
        assertEquals("images 1234/5000 (24.7%), 18.3 img/s, 3 rejected, ETA 3m26s",
                new MaskProgress(1234, 5000, 3, 0, 0, 67.4, false).format());
        assertEquals("images 5000/5000 (100.0%), 20.0 img/s, 3 rejected, writing: 2100 in 5 shards",
                new MaskProgress(5000, 5000, 3, 2100, 5, 250, false).format());
        assertEquals("images 5000/5000 (100.0%), 20.0 img/s, 3 rejected, writing: 0 in 0 shards",
                new MaskProgress(5000, 5000, 3, 0, 0, 250, false).format());
        assertEquals("images 5000/5000 (100.0%), 17.2 img/s, 3 rejected, 4997 written in 12 shards, done in 4m51s",
                new MaskProgress(5000, 5000, 3, 4997, 12, 291, true).format());
        assertEquals("images 0/5000 (0.0%), 0.0 img/s, 0 rejected", new MaskProgress(0, 5000, 0, 0, 0, 3, false)
                .format());
        assertEquals("images 7, 3.5 img/s, 0 rejected", new MaskProgress(7, -1, 0, 0, 0, 2, false).format());
    }

    @Test
    void durations() {
        assertEquals("59s", MaskProgress.duration(59.4));
        assertEquals("1m00s", MaskProgress.duration(59.6));
        assertEquals("1h01m", MaskProgress.duration(3_660));
    }
}
