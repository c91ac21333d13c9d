package org.detcon.trainer.run;

import java.util.function.Consumer;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * What the listeners of one {@link TrainingRun} invocation see: the config, the networks, the output store and
 * the run's extent.
 *
 * @param startStep  steps done before this invocation (0, or the restored checkpoint's step)
 * @param endStep    where this invocation stops (≤ totalSteps)
 * @param totalSteps the schedule's length
 * @param messages   prints a line for the operator (above a progress bar, if any)
 */
public record TrainingContext(TrainConfig config, PretrainConfig pretrainConfig, Pretrainer pretrainer,
        ObjectStore output, String configHash, long startStep, long endStep, long totalSteps, long stepsPerEpoch,
        Consumer<String> messages) {

    /** Whether the schedule is complete after {@code done} steps. */
    public boolean complete(long done) {
        return done == totalSteps;
    }
}
