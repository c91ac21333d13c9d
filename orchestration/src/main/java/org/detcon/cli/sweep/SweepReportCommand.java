package org.detcon.cli.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.detcon.orchestration.report.SweepReport;
import org.detcon.orchestration.sweep.SweepPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon sweep report FILE}: report.md, report.html and results.csv from what has run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.md, a self-contained report.html and results.csv (long format) from the run"
                + " store; missing values are shown with their status.")
public final class SweepReportCommand implements Callable<Integer> {

    @Mixin
    SweepOptions sweep;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: WORKDIR/reports/NAME).")
    Path outDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SweepPlan plan = sweep.plan();
        SweepReport.Written w = SweepReport.write(SweepOptions.results(plan), outDir != null ? outDir
                : SweepOptions.reportDir(plan));
        PrintWriter out = spec.commandLine().getOut();
        w.findings().forEach(f -> out.println("  " + f));
        out.println("report: " + w.html());
        out.println("        " + w.markdown());
        out.println("        " + w.csv());
        out.flush();
        return 0;
    }
}
