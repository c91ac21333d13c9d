package org.detcon.trainer.run;

import java.io.IOException;

/**
 * A concern of the training loop kept out of it, as DJL's {@code TrainingListener}s are: the metrics log, the
 * progress display, checkpoints every N steps, the divergence guard, backbone exports at given steps, and whatever
 * a caller adds (a sweep's progress events, a benchmark's memory probe). {@link TrainingRun} calls its listeners in
 * order; an exception from one stops the run ({@link #close()} is still called on every listener).
 */
public interface TrainingListener {

    /** Before the first step of this invocation (after a restore: {@code ctx.startStep() > 0}). */
    default void onTrainingBegin(TrainingContext ctx) throws IOException {
    }

    /** After each optimisation step. */
    default void onStep(TrainingContext ctx, StepResult step) throws IOException {
    }

    /**
     * After the checkpoint of {@code step} (steps done) was written, with the wall seconds it took; called by
     * {@link org.detcon.trainer.run.listener.Checkpointer} on the listeners before it (after their {@link #onStep}).
     */
    default void onCheckpoint(TrainingContext ctx, long step, double seconds) throws IOException {
    }

    /** After the last step of this invocation, when it ended normally. */
    default void onTrainingEnd(TrainingContext ctx) throws IOException {
    }

    /** Always, last: release what the listener holds. */
    default void close() throws IOException {
    }
}
