package org.detcon.cli.sweep;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.orchestration.sweep.ChildProcessExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code detcon sweep exec SPEC RESULT}: one step of a sweep, in a child JVM of {@code sweep run}. */
@Command(name = "exec", hidden = true, description = "Run one sweep step (what sweep run starts in a child JVM).")
public final class SweepExecCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC")
    Path specFile;

    @Parameters(index = "1", paramLabel = "RESULT")
    Path resultFile;

    @Override
    public Integer call() throws Exception {
        ChildProcessExecutor.runChild(specFile, resultFile);
        return 0;
    }
}
