package org.detcon.orchestration.sweep;

import java.io.IOException;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/** What a running step tells the engine: pretraining progress and lines for the operator. */
public interface StepEvents {

    /** Pretraining did {@code done} of {@code total} steps; the last loss and the recent throughput. */
    void progress(long done, long total, double loss, double imgPerSec);

    /** A line for the operator (the Flink dashboard's URL). */
    void note(String line);

    /** The step was placed elsewhere: {@code where} names it ({@code http://host:8470 job 12}); recorded in the run store. */
    default void placed(String where) {
    }

    /** Events that go nowhere. */
    StepEvents NONE = new StepEvents() {
        @Override
        public void progress(long done, long total, double loss, double imgPerSec) {
        }

        @Override
        public void note(String line) {
        }
    };

    /** A training listener reporting every step to {@code events}. */
    static TrainingListener listener(StepEvents events) {
        return new TrainingListener() {
            @Override
            public void onTrainingBegin(TrainingContext ctx) {
                events.progress(ctx.startStep(), ctx.totalSteps(), Double.NaN, Double.NaN);
            }

            @Override
            public void onStep(TrainingContext ctx, StepResult r) throws IOException {
                events.progress(r.done(), ctx.totalSteps(), r.loss(), r.imgPerSec());
            }
        };
    }
}
