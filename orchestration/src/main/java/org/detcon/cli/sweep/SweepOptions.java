package org.detcon.cli.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.cli.DeviceOption;
import org.detcon.cli.OutputsOption;
import org.detcon.cli.UsageException;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.orchestration.runs.RunStore;
import org.detcon.orchestration.sweep.Planner;
import org.detcon.orchestration.sweep.SweepFile;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepResults;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every {@code detcon sweep} command takes: the sweep file, the working directory and overrides. */
public final class SweepOptions {

    /** The default working directory, shared by sweeps (steps are content-addressed). */
    public static final String DEFAULT_WORKDIR = "detcon-work";

    @Parameters(index = "0", paramLabel = "FILE", description = "Sweep file (YAML; see sweeps/ and the README).")
    Path file;

    @Option(names = "--workdir", defaultValue = DEFAULT_WORKDIR, paramLabel = "DIR",
            description = "Working directory: steps/, reports/, logs/ and the run store (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--store", paramLabel = "JDBC_URL",
            description = "Run store shared by several machines (jdbc:postgresql://HOST/DB?user=U&password=P);"
                    + " default: WORKDIR/.detcon/runs.mv.db.")
    String store;

    @CommandLine.Mixin
    OutputsOption outputs = new OutputsOption();

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a field of the base config for every cell, e.g. --set steps=50 (repeatable).")
    List<String> set = new ArrayList<>();

    SweepFile read() {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("sweep file " + file + " does not exist");
        }
        return SweepFileReader.read(file);
    }

    @CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    /** The {@code --set} overrides, then {@code --device} as {@code device=...}. */
    List<ConfigOverrides.Override> overrides() {
        List<String> all = new ArrayList<>(set);
        if (device.asOverride() != null) {
            all.add(device.asOverride());
        }
        try {
            return ConfigOverrides.parseAll(all);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    SweepPlan plan() throws IOException {
        return Planner.plan(read(), workdir, outputs.uri(), overrides()).withStore(store);
    }

    /** What the run store knows of the plan's steps (all pending when nothing has run in the working directory). */
    static SweepResults results(SweepPlan plan) throws IOException {
        if (plan.storeUrl() == null && !RunStore.existsIn(plan.workdir())) {
            return SweepResults.read(plan, null);
        }
        try (RunStore store = RunStore.open(plan.workdir(), plan.storeUrl())) {
            return SweepResults.read(plan, store);
        }
    }

    /** Where a sweep's report goes by default. */
    static Path reportDir(SweepPlan plan) {
        return plan.workdir().resolve("reports").resolve(plan.file().name());
    }
}
