package org.detcon.orchestration.sweep;

import java.nio.file.Path;
import org.detcon.orchestration.runs.Step;

/**
 * Runs steps in this JVM, one at a time (one PyTorch engine per process: its thread count is fixed at first use).
 * For debugging and fast tests; {@code detcon sweep run} uses child JVMs.
 */
public final class InProcessExecutor implements StepExecutor {

    @Override
    public Step.Outcome execute(PlannedStep step, Path workdir, int torchThreads, StepEvents events)
            throws Exception {
        return StepWork.run(SweepEngine.withThreads(step, torchThreads), workdir, events::note,
                StepEvents.listener(events));
    }

    @Override
    public int parallelism() {
        return 1;
    }
}
