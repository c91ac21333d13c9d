package org.detcon.orchestration.quickstart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code detcon quickstart} does, with the defaults sized for a 2-core machine (15 minutes). The test
 * suite runs the same path with {@link #tiny}.
 *
 * @param evalEvery   pretraining steps between evaluated checkpoints (step 0 = the random initialisation is
 *                    evaluated too)
 * @param probeInput  the backbone's input side for the frozen-feature probes (feature grid = probeInput / 32)
 * @param probeTrain  images of the train split the probes are fitted on; probeVal: images they are scored on
 */
public record QuickstartConfig(Path workdir, int trainImages, int valImages, int size, long seed, String fhMasks,
        String runner, int parallelism, int batchSize, long steps, long evalEvery, double baseLr, long warmupSteps,
        double baseTau, int masksPerView, int depth, int hidden, int out, int probeInput, int probeTrain,
        int probeVal, double probeLambda) {

    public static QuickstartConfig defaults(Path workdir) {
        return new QuickstartConfig(workdir, 1000, 200, 96, 0, "fh:100", "flink", 2, 32, 100, 25, 2.0, 10, 0.99,
                8, 18, 1024, 128, 192, 300, 200, 1e-3);
    }

    /** The same path at test size: seconds, not minutes. */
    public static QuickstartConfig tiny(Path workdir, String runner) {
        return new QuickstartConfig(workdir, 12, 4, 64, 0, "fh:100", runner, 1, 4, 2, 1, 2.0, 1, 0.99, 4, 18, 64,
                32, 64, 8, 4, 1e-3);
    }

    public QuickstartConfig withSteps(long steps, long evalEvery) {
        return new QuickstartConfig(workdir, trainImages, valImages, size, seed, fhMasks, runner, parallelism,
                batchSize, steps, evalEvery, baseLr, warmupSteps, baseTau, masksPerView, depth, hidden, out,
                probeInput, probeTrain, probeVal, probeLambda);
    }

    public QuickstartConfig withRunner(String r) {
        return new QuickstartConfig(workdir, trainImages, valImages, size, seed, fhMasks, r, parallelism,
                batchSize, steps, evalEvery, baseLr, warmupSteps, baseTau, masksPerView, depth, hidden, out,
                probeInput, probeTrain, probeVal, probeLambda);
    }

    public QuickstartConfig withData(int train, int val, int px) {
        return new QuickstartConfig(workdir, train, val, px, seed, fhMasks, runner, parallelism, batchSize, steps,
                evalEvery, baseLr, warmupSteps, baseTau, masksPerView, depth, hidden, out, probeInput, probeTrain,
                probeVal, probeLambda);
    }

    /** The evaluated checkpoints: 0, evalEvery, 2·evalEvery, ..., steps. */
    public List<Long> evalSteps() {
        List<Long> s = new ArrayList<>();
        for (long k = 0; k < steps; k += Math.max(1, evalEvery)) {
            s.add(k);
        }
        s.add(steps);
        return s;
    }
}
