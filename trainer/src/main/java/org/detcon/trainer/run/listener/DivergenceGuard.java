package org.detcon.trainer.run.listener;

import java.io.IOException;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingDivergedException;
import org.detcon.trainer.run.TrainingListener;

/**
 * Stops the run at the first NaN or infinite loss, before anything of that step is logged or saved, so
 * {@code latest} still names the last good checkpoint. (Non-finite parameters are caught by the
 * {@link Checkpointer} before it saves.)
 */
public final class DivergenceGuard implements TrainingListener {

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (!Float.isFinite(r.loss())) {
            throw TrainingDivergedException.at(ctx.output(), r.step(), "loss is " + r.loss());
        }
    }
}
