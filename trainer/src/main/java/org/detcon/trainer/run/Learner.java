package org.detcon.trainer.run;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.checkpoint.Checkpointable;

/**
 * What the {@link TrainingLoop} steps: networks, loss and optimizer of one kind of training, taking batches of
 * prepared samples of type {@code T}. Pretraining ({@link PretrainLearner}: the {@code Pretrainer} on view pairs),
 * fine-tuning (eval-jobs) and the detector each are one. Its state is saved and restored by the loop's checkpoints
 * ({@link Checkpointable}); the step count it reports after a restore is where the loop continues. A learner that
 * computes on a device can {@link #upload} a batch's arrays there one batch ahead of its step.
 */
public interface Learner<T> extends Checkpointable, AutoCloseable {

    /** One optimisation step on {@code batch} (prepared samples in order); the loss before the update. */
    StepLoss step(List<T> batch) throws IOException;

    /**
     * Makes {@code batch} ready for its step on the learner's device (arrays on a manager of the result's own). The
     * {@link TrainingLoop} calls it on its ahead thread while the previous step runs ({@link AheadBatches}), and
     * closes the result after {@link #step(List, Upload)}. It must not change the learner's state nor draw from the
     * engine's generator (the step runs beside it). Default: {@link Upload#NONE}, the step converts the batch.
     */
    default Upload upload(List<T> batch) throws IOException {
        return Upload.NONE;
    }

    /**
     * One optimisation step on {@code batch} and what {@link #upload} made of it (not closed here). Default:
     * {@link #step(List)}.
     */
    default StepLoss step(List<T> batch, Upload uploaded) throws IOException {
        return step(batch);
    }

    /** The learning rate of 0-based step {@code k}. */
    double learningRate(long k);

    /** Other per-step values the metrics log records after {@code lr} (pretraining: {@code ema_tau}). */
    default Map<String, Double> stepValues(long k) {
        return Map.of();
    }

    /**
     * Exports the backbone into {@code dir} ({@code backbone.npz} + {@code backbone.json}); only learners whose
     * loop is given export steps need it.
     */
    default void export(ObjectStore dir) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " exports no backbone");
    }

    @Override
    void close();
}
