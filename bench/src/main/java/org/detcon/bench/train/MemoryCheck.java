package org.detcon.bench.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import org.detcon.trainer.data.InMemoryData;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.run.TrainingRun;
import org.detcon.trainer.train.Method;

/**
 * Memory stays flat across steps: {@code steps} DetCon_B steps of {@link TrainingRun} (ResNet-18, 64 px, batch 8,
 * fresh views every step, 32 generated shapes in memory), sampling Java heap in use (after a GC), native RSS and
 * the engine's count of live NDArrays every {@code every} steps (a listener). Prints the samples and the growth
 * from the first sample after warm-up to the last; exits 1 when the RSS grows by more than {@code maxGrowthMiB} or
 * the NDArray count grows at all. Arguments: steps=200 every=20 size=64 batch=8 maxGrowthMiB=64.
 */
public final class MemoryCheck {

    private MemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        Args a = new Args(args);
        int steps = a.integer("steps", 200);
        int every = a.integer("every", 20);
        int size = a.integer("size", 64);
        int batch = a.integer("batch", 8);
        long maxGrowth = (long) a.integer("maxGrowthMiB", 64) << 20;
        String out = Files.createTempDirectory("memory-check").toString();
        InMemoryData data = new InMemoryData(Shapes.generateAll(size, 4, 4 * batch).stream()
                .map(Shapes.Sample::example).toList(), "shapes " + size + "px seed 4 n " + 4 * batch);
        long[] rss = new long[steps / every + 1];
        long[] heap = new long[rss.length];
        long[] arrays = new long[rss.length];
        int[] n = {0};
        long t0 = System.nanoTime();
        TrainingListener probe = new TrainingListener() {
            @Override
            public void onStep(TrainingContext ctx, StepResult r) {
                if (r.done() % every != 0) {
                    return;
                }
                System.gc();
                Runtime rt = Runtime.getRuntime();
                int i = n[0]++;
                heap[i] = rt.totalMemory() - rt.freeMemory();
                rss[i] = ProcessMemory.rssBytes();
                arrays[i] = liveArrays();
                System.out.printf(Locale.ROOT, "step %4d  heap %5d MiB  rss %5d MiB  live NDArrays %d  %.0f s%n",
                        r.done(), heap[i] >> 20, rss[i] >> 20, arrays[i], (System.nanoTime() - t0) / 1e9);
            }
        };
        TrainingRun.builder(BenchRecipe.of(Method.DETCON_B, size, batch, steps, 0.2, 10, 0.99, 512, 128, 8, 0, 0,
                out, steps)).data(data).listener(probe).build().run();
        int last = n[0];
        int first = Math.min(1, last - 1); // the first sample still includes warm-up allocations
        long growth = rss[last - 1] - rss[first];
        long heapGrowth = heap[last - 1] - heap[first];
        long arrayGrowth = arrays[last - 1] - arrays[first];
        boolean ok = growth <= maxGrowth && arrayGrowth <= 0;
        System.out.printf(Locale.ROOT, "RESULT %s: from step %d to %d RSS %+d MiB, heap %+d MiB, live NDArrays %+d;"
                + " peak RSS %d MiB%n", ok ? "flat" : "GROWING", (first + 1) * every, last * every, growth >> 20,
                heapGrowth >> 20, arrayGrowth, ProcessMemory.peakRssBytes() >> 20);
        System.exit(ok ? 0 : 1);
    }

    /** Arrays alive on the engine's system manager (that of every base manager; as PretrainerTest counts). */
    private static long liveArrays() {
        NDManager system;
        try (NDManager base = Torch.newManager()) {
            system = base.getParentManager();
        }
        return system.getManagedArrays().size();
    }
}
