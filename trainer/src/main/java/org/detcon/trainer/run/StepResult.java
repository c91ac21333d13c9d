package org.detcon.trainer.run;

import java.util.Map;
import org.detcon.trainer.data.BatchSource;

/**
 * One optimisation step as listeners see it.
 *
 * @param step      the step's index (0-based): after it, {@code step + 1} steps are done
 * @param loss      the loss before the update
 * @param parts     its named parts, if any ({@link StepLoss})
 * @param lr        the learning rate of the step
 * @param values    other per-step values of the learner ({@link Learner#stepValues}: e.g. {@code ema_tau})
 * @param imgPerSec images per second over the last few seconds
 * @param dataWait  fraction of that time spent waiting for data
 * @param next      the data position after the step's batch (where a resumed run continues)
 * @param data      the data source's counters so far
 * @param last      the last step of this invocation
 */
public record StepResult(long step, float loss, Map<String, Float> parts, double lr, Map<String, Double> values,
        double imgPerSec, double dataWait, BatchSource.Position next, BatchSource.Stats data, boolean last) {

    /** Steps done after this one. */
    public long done() {
        return step + 1;
    }
}
