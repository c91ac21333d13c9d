package org.detcon.bench.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Memory stays flat across steps: {@code steps} DetCon_B steps (ResNet-18, 64 px, batch 8, fresh views every step),
 * sampling Java heap in use (after a GC), native RSS and the engine's count of live NDArrays every {@code every}
 * steps. Prints the samples and the growth from the first sample after warm-up to the last; exits 1 when the RSS
 * grows by more than {@code maxGrowthMiB} or the NDArray count grows at all.
 * Arguments: steps=200 every=20 size=64 batch=8 maxGrowthMiB=64.
 */
public final class MemoryCheck {

    private MemoryCheck() {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        int steps = a.integer("steps", 200);
        int every = a.integer("every", 20);
        int size = a.integer("size", 64);
        int batch = a.integer("batch", 8);
        long maxGrowth = (long) a.integer("maxGrowthMiB", 64) << 20;
        PretrainConfig cfg = new PretrainConfig(Method.DETCON_B, new ResNetConfig(18, 1), new HeadConfig(512, 128),
                new HeadConfig(512, 128), size, new MaskConfig(size / 32, 8, false), DetConLossConfig.DEFAULT,
                LarsConfig.withWeightDecay(1.5e-6), new LearningRateSchedule(0.2, batch, 10, steps),
                new EmaSchedule(0.99, steps));
        List<Example> data = new ArrayList<>();
        for (Shapes.Sample s : Shapes.generateAll(size, 4, 4 * batch)) {
            data.add(s.example());
        }
        BatchAssembler assembler = new BatchAssembler(cfg, 0);
        long[] rss = new long[steps / every + 1];
        long[] heap = new long[rss.length];
        long[] arrays = new long[rss.length];
        int n = 0;
        long t0 = System.nanoTime();
        try (Pretrainer p = new Pretrainer(cfg, batch)) {
            for (int k = 0; k < steps; k++) {
                int off = (k % 4) * batch;
                try (NDManager m = Torch.newManager()) {
                    p.step(assembler.assemble(data.subList(off, off + batch), k, m));
                }
                if ((k + 1) % every == 0) {
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    heap[n] = rt.totalMemory() - rt.freeMemory();
                    rss[n] = ProcessMemory.rssBytes();
                    arrays[n] = liveArrays();
                    System.out.printf(Locale.ROOT, "step %4d  heap %5d MiB  rss %5d MiB  live NDArrays %d  %.0f s%n",
                            k + 1, heap[n] >> 20, rss[n] >> 20, arrays[n], (System.nanoTime() - t0) / 1e9);
                    n++;
                }
            }
        }
        int first = Math.min(1, n - 1); // the first sample still includes warm-up allocations
        long growth = rss[n - 1] - rss[first];
        long heapGrowth = heap[n - 1] - heap[first];
        long arrayGrowth = arrays[n - 1] - arrays[first];
        boolean ok = growth <= maxGrowth && arrayGrowth <= 0;
        System.out.printf(Locale.ROOT, "RESULT %s: from step %d to %d RSS %+d MiB, heap %+d MiB, live NDArrays %+d;"
                + " peak RSS %d MiB%n", ok ? "flat" : "GROWING", (first + 1) * every, n * every, growth >> 20,
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
