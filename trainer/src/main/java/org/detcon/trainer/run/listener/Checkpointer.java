package org.detcon.trainer.run.listener;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingDivergedException;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.train.Pretrainer;

/**
 * A checkpoint every {@code output.checkpoint_every} steps and at the last step of the invocation
 * ({@link Checkpoints}: weights, target, momentum, step and data position), keeping {@code output.keep_checkpoints}.
 * Parameters that are no longer finite stop the run instead ({@link TrainingDivergedException}), so a bad state
 * is never saved.
 */
public final class Checkpointer implements TrainingListener {

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (r.done() % ctx.config().output().checkpointEvery() != 0 && !r.last()) {
            return;
        }
        Pretrainer p = ctx.pretrainer();
        if (!finite(p.online()) || (p.target() != null && !finite(p.target()))) {
            throw TrainingDivergedException.at(ctx.output(), r.step(),
                    "parameters are no longer finite after the update");
        }
        Checkpoints.save(ctx.output(), p, r.next().epoch(), r.next().index(), ctx.config().seed());
        Checkpoints.prune(ctx.output(), ctx.config().output().keepCheckpoints());
    }

    private static boolean finite(Block b) {
        for (Pair<String, Parameter> e : b.getParameters()) {
            for (float f : e.getValue().getArray().toFloatArray()) {
                if (!Float.isFinite(f)) {
                    return false;
                }
            }
        }
        return true;
    }
}
