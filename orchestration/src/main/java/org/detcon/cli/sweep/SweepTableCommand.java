package org.detcon.cli.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.detcon.orchestration.sweep.SweepTable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweep plan} and {@code sweep status}: the cells and their steps' states from the run store. */
abstract class SweepTableCommand implements Callable<Integer> {

    @Mixin
    SweepOptions sweep;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whether attempts, times and errors are shown. */
    abstract boolean detail();

    @Override
    public Integer call() throws Exception {
        var results = SweepOptions.results(sweep.plan());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                    SweepTable.json(results)));
        } else {
            SweepTable.print(results, out, detail());
        }
        out.flush();
        return 0;
    }
}
