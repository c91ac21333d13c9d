package org.detcon.orchestration.sweep;

import java.nio.file.Path;
import org.detcon.orchestration.runs.Step;

/**
 * Where a sweep's steps run: in this JVM one at a time ({@link InProcessExecutor}), each in a child JVM
 * ({@link ChildProcessExecutor}), or as jobs on trainer services ({@link ServiceExecutor}).
 */
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

    /**
     * The attempt was lost with the machine that ran it (a trainer service went away): the engine records it
     * INTERRUPTED and runs the step again, without counting a failed try; the executor no longer places steps there.
     */
    final class Lost extends Exception {
        private static final long serialVersionUID = 1L;

        public Lost(String message) {
            super(message);
        }
    }
}
