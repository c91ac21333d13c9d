package org.detcon.trainer.run;

/** The loss (or a parameter) became NaN or infinite: the run stops; the last good checkpoint is left as it was. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    /** The 0-based step at which the problem showed. */
    public long step() {
        return step;
    }
}
