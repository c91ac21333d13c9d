package org.detcon.trainer.run;

import org.detcon.trainer.data.BatchSource;

/**
 * One optimisation step as listeners see it.
 *
 * @param step     the step's index (0-based): after it, {@code step + 1} steps are done
 * @param loss     the loss before the update
 * @param lr       the learning rate of the step
 * @param emaTau   the target EMA decay of the step (NaN without a target network)
 * @param imgPerSec images per second over the last few seconds
 * @param dataWait fraction of that time spent waiting for data
 * @param next     the data position after the step's batch (where a resumed run continues)
 * @param data     the data source's counters so far
 * @param last     the last step of this invocation
 */
public record StepResult(long step, float loss, double lr, double emaTau, double imgPerSec, double dataWait,
        BatchSource.Position next, BatchSource.Stats data, boolean last) {

    /** Steps done after this one. */
    public long done() {
        return step + 1;
    }
}
