package org.detcon.orchestration.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.detcon.orchestration.report.SweepReport;
import org.detcon.orchestration.runs.RunStore;

/**
 * {@code detcon sweep run} and the quickstart: run the plan's missing steps ({@link SweepEngine}), write the report
 * from the run store ({@link SweepReport}), and print the findings, the failed cells and where the report is.
 */
public final class SweepRun {

    /** The engine's outcome and the report written after it. */
    public record Result(SweepEngine.Outcome engine, SweepReport.Written report) {
    }

    private SweepRun() {
    }

    public static Result run(SweepPlan plan, StepExecutor executor, int retries, Path reportDir, PrintWriter out)
            throws Exception {
        SweepEngine.Outcome o = SweepEngine.run(plan, executor, retries, out);
        SweepResults results;
        try (RunStore store = RunStore.open(plan.workdir(), plan.storeUrl())) {
            results = SweepResults.read(plan, store);
        }
        SweepReport.Written w = SweepReport.write(results, reportDir);
        out.printf(Locale.ROOT, "sweep %s %s in %s: %d steps run, %d reused%s%n", plan.file().name(),
                o.ok() ? "done" : "ended with failures", SweepProgress.dur(o.seconds()), o.ran(), o.reused(),
                o.ok() ? "" : ", " + o.failures().size() + " cell(s) failed");
        for (String f : w.findings()) {
            out.println("  " + f);
        }
        for (String f : o.failures()) {
            out.println("FAILED " + f);
        }
        out.println("report: " + w.html());
        out.println("        " + w.markdown());
        out.println("        " + w.csv());
        out.flush();
        return new Result(o, w);
    }
}
