package org.detcon.trainer.run.listener;

import java.io.IOException;
import java.util.List;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingDivergedException;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.run.TrainingLoop;

/**
 * A checkpoint every {@code output.checkpoint_every} steps and at the last step of the invocation
 * ({@link Checkpoints}: the learner's state, step and data position), keeping {@code output.keep_checkpoints}.
 * Parameters that are no longer finite stop the run instead ({@link TrainingDivergedException}), so a bad state
 * is never saved. Each checkpoint's wall seconds go to the listeners it is given
 * ({@link TrainingListener#onCheckpoint}: a service's checkpoint-seconds metric).
 */
public final class Checkpointer implements TrainingListener {

    private final List<TrainingListener> observers;

    /** A checkpointer that tells {@code observers} how long each checkpoint took. */
    public Checkpointer(List<TrainingListener> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (r.done() % ctx.settings().output().checkpointEvery() != 0 && !r.last()) {
            return;
        }
        if (!TrainingLoop.finite(ctx.learner())) {
            throw TrainingDivergedException.at(ctx.output(), r.step(),
                    "parameters are no longer finite after the update");
        }
        long t0 = System.nanoTime();
        Checkpoints.save(ctx.output(), ctx.learner(), r.next().epoch(), r.next().index(), ctx.settings().seed());
        Checkpoints.prune(ctx.output(), ctx.settings().output().keepCheckpoints());
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (TrainingListener o : observers) {
            o.onCheckpoint(ctx, r.done(), seconds);
        }
    }
}
