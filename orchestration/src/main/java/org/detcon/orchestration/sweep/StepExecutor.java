package org.detcon.orchestration.sweep;

import java.nio.file.Path;
import org.detcon.orchestration.runs.Step;

/** Where a sweep's steps run: in this JVM one at a time ({@link InProcessExecutor}) or each in a child JVM. */
public interface StepExecutor extends AutoCloseable {

    /** Runs {@code step} (blocking) and returns its outcome; a failure is an exception with a one-line message. */
    Step.Outcome execute(PlannedStep step, Path workdir, int torchThreads, StepEvents events) throws Exception;

    /** How many steps may run at once. */
    int parallelism();

    /** Stops the step of {@code key} if it runs (its lease went to another process); by default it cannot. */
    default void cancel(String key) {
    }

    @Override
    default void close() {
    }
}
