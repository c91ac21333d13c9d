package org.detcon.cli.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detcon sweep status FILE}: what has run, with attempts, times and errors (also while a sweep runs). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print each cell's steps with their state, attempts, times and errors (works while the sweep"
                + " runs in another process).")
public final class SweepStatusCommand implements Callable<Integer> {

    @Mixin
    SweepOptions sweep;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SweepPlan plan = sweep.plan();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(SweepTable.json(
                    SweepOptions.results(plan))));
        } else {
            SweepTable.print(SweepOptions.results(plan), out, true);
        }
        out.flush();
        return 0;
    }
}
