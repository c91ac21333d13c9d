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

/** {@code detcon sweep plan FILE}: the cells and which steps are done, pending or failed; runs nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print the cells (axis values, seed, config hash) and the state of their steps; run nothing.")
public final class SweepPlanCommand implements Callable<Integer> {

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
            SweepTable.print(SweepOptions.results(plan), out, false);
        }
        out.flush();
        return 0;
    }
}
