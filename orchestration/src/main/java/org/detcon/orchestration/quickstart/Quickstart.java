package org.detcon.orchestration.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.orchestration.sweep.Planner;
import org.detcon.orchestration.sweep.StepExecutor;
import org.detcon.orchestration.sweep.SweepFile;
import org.detcon.orchestration.sweep.SweepFileReader;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepRun;

/**
 * {@code detcon quickstart}: the sweep {@code sweeps/quickstart.yaml} run by the sweep engine in a working directory
 * ({@code detcon-quickstart} by default), its report in {@code WORKDIR/report/}. The options resize it: pretraining
 * steps and the evaluated steps, the number of generated images, the mask pipeline's runner.
 */
public final class Quickstart {

    public static final String SWEEP = "sweeps/quickstart.yaml";

    /** The options of the command (null: the sweep file's value). */
    public record Options(Long steps, Long evalEvery, Integer images, Integer valImages, String runner) {
    }

    private Quickstart() {
    }

    /**
     * The quickstart's sweep file: {@code DETCON_HOME/sweeps/quickstart.yaml} when the launcher names the source
     * tree (so an edited file is used), else the copy built into the CLI, written to the working directory.
     */
    public static Path sweepFile(Path workdir) throws IOException {
        String home = System.getProperty("detcon.home");
        if (home != null && Files.isRegularFile(Path.of(home, SWEEP))) {
            return Path.of(home, SWEEP);
        }
        Path copy = workdir.resolve("quickstart.yaml");
        try (InputStream in = Quickstart.class.getResourceAsStream("/" + SWEEP)) {
            if (in == null) {
                throw new IOException("the CLI was built without " + SWEEP);
            }
            Files.createDirectories(workdir);
            Files.write(copy, in.readAllBytes());
        }
        return copy;
    }

    /** The sweep with the options applied. */
    public static SweepFile resize(SweepFile f, Options o) {
        SweepFile.Data data = f.data();
        if (o.images() != null || o.valImages() != null) {
            SweepFile.Synth s = f.data().synth();
            data = new SweepFile.Data(new SweepFile.Synth(o.images() != null ? o.images() : s.images(),
                    o.valImages() != null ? o.valImages() : s.valImages(), s.size(), s.seed()), null);
        }
        SweepFile.Masks masks = o.runner() == null ? f.masks()
                : new SweepFile.Masks(f.masks().sets(), o.runner(), f.masks().parallelism());
        List<Long> evalAt = f.evalAtSteps();
        if (o.steps() != null || o.evalEvery() != null) {
            long steps = o.steps() != null ? o.steps() : f.base().path("steps").asLong();
            long every = o.evalEvery() != null ? o.evalEvery() : Math.max(1, steps / 4);
            evalAt = new ArrayList<>();
            for (long k = 0; k < steps; k += every) {
                evalAt.add(k);
            }
        }
        return new SweepFile(f.file(), f.name(), f.description(), f.base(), f.baseSource(), f.seeds(), f.grid(),
                f.exclude(), data, masks, f.evals(), evalAt, f.report(), f.retries());
    }

    /** Plans and runs the quickstart; returns the run's result (report included). */
    public static SweepRun.Result run(Path workdir, Options o, StepExecutor executor, PrintWriter out)
            throws Exception {
        Path work = workdir.toAbsolutePath().normalize();
        SweepFile f = resize(SweepFileReader.read(sweepFile(work)), o);
        List<ConfigOverrides.Override> set = o.steps() == null ? List.of()
                : List.of(ConfigOverrides.parse("steps=" + o.steps()));
        SweepPlan plan = Planner.plan(f, work, set);
        out.println("detcon quickstart: " + f.file() + " in " + work + " (" + plan.cells().size() + " pretraining"
                + " runs, " + executor.parallelism() + " at a time)");
        out.flush();
        return SweepRun.run(plan, executor, f.retries(), work.resolve("report"), out);
    }
}
