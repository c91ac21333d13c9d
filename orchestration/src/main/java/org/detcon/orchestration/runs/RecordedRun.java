package org.detcon.orchestration.runs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * A command that is one step ({@code detcon train}, {@code detcon masks run}) recorded in the run store of a working
 * directory when the user gives {@code --workdir}: a run of {@code kind} with that step, RUNNING then DONE (outputs
 * hashed, metrics) or FAILED (the error). The command always runs; the record is for {@code detcon runs}.
 */
public final class RecordedRun {

    private RecordedRun() {
    }

    /** Runs {@code step} and records it; without a working directory it just runs. */
    public static Step.Outcome run(Path workdir, String kind, String configHash, String note, Step step,
            PrintWriter log) throws Exception {
        if (workdir == null) {
            return step.execute();
        }
        try (RunStore store = RunStore.openIn(workdir)) {
            long run = store.startRun(kind, configHash, note);
            StepRunner runner = new StepRunner(store, run, workdir, log);
            long id = runner.beginAgain(step);
            Step.Outcome o;
            try {
                o = step.execute();
                runner.finish(id, o);
            } catch (Exception | Error e) {
                runner.fail(id, String.valueOf(e.getMessage() != null ? e.getMessage() : e));
                store.finishRun(run, "FAILED");
                throw e;
            }
            store.finishRun(run, "DONE");
            log.println("recorded as run " + run + " in " + store.describe() + " (detcon runs show " + run + " --workdir "
                    + workdir + ")");
            return o;
        }
    }

    /** A step from its parts. */
    public static Step step(String name, String label, Map<String, String> inputs, Work work) {
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public Map<String, String> inputs() {
                return inputs;
            }

            @Override
            public Outcome execute() throws Exception {
                return work.run();
            }
        };
    }

    /** The work of a step. */
    @FunctionalInterface
    public interface Work {
        Step.Outcome run() throws Exception;
    }
}
