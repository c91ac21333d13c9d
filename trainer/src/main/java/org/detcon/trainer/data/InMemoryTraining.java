package org.detcon.trainer.data;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.train.Pretrainer;

/**
 * A training loop over examples held in memory (the shard-streaming loader comes later): each epoch visits the
 * examples in a seeded random order, in batches of {@code batchSize} (the last incomplete batch is dropped).
 */
public final class InMemoryTraining {

    private InMemoryTraining() {
    }

    /** Per-step callback. */
    public interface Listener {
        void onStep(long step, float loss);
    }

    /** Runs {@code steps} steps and returns their losses. */
    public static float[] run(Pretrainer trainer, BatchAssembler assembler, List<Example> data, int batchSize,
            long steps, long seed, Listener listener) {
        if (data.size() < batchSize) {
            throw new IllegalArgumentException("need at least one full batch: " + data.size() + " < " + batchSize);
        }
        float[] losses = new float[(int) steps];
        int perEpoch = data.size() / batchSize;
        List<Example> order = new ArrayList<>();
        for (long k = 0; k < steps; k++) {
            int inEpoch = (int) (k % perEpoch);
            if (inEpoch == 0) {
                order = shuffled(data, new SplittableRandom(BatchAssembler.mix(seed, k / perEpoch, -1)));
            }
            List<Example> batch = order.subList(inEpoch * batchSize, (inEpoch + 1) * batchSize);
            long step = trainer.stepCount();
            try (NDManager m = Torch.newManager()) {
                losses[(int) k] = trainer.step(assembler.assemble(batch, step, m));
            }
            if (listener != null) {
                listener.onStep(step, losses[(int) k]);
            }
        }
        return losses;
    }

    private static List<Example> shuffled(List<Example> data, SplittableRandom rng) {
        List<Example> out = new ArrayList<>(data);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Example t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
