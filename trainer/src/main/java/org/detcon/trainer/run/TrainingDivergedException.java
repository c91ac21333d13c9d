package org.detcon.trainer.run;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.checkpoint.Checkpoints;

/** The loss (or a parameter) became NaN or infinite: the run stops; the last good checkpoint is left as it was. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** The exception for a run writing to {@code output} that went wrong at {@code step}: {@code what} happened. */
    public static TrainingDivergedException at(ObjectStore output, long step, String what) throws IOException {
        Optional<String> good = Checkpoints.latest(output).map(output::uri);
        return new TrainingDivergedException(step, String.format(Locale.ROOT,
                "training diverged at step %d: %s; stopped without saving. The last good checkpoint is %s. Lower"
                        + " optimizer.base_lr or check the data.", step, what,
                good.orElse("none (no checkpoint was written yet)")));
    }

    /** The 0-based step at which the problem showed. */
    public long step() {
        return step;
    }
}
