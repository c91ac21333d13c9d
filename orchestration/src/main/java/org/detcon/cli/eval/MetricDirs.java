package org.detcon.cli.eval;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The ground-truth and prediction folders and the output form shared by the folder metric commands. */
public final class MetricDirs {

    @Option(names = "--gt", required = true, paramLabel = "DIR", description = "Ground-truth maps.")
    Path gt;

    @Option(names = "--pred", required = true, paramLabel = "DIR", description = "Predicted maps.")
    Path pred;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;
}
