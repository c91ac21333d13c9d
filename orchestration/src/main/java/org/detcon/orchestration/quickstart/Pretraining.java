package org.detcon.orchestration.quickstart;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
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
 * In-process pretraining for the quickstart on the trainer's API ({@link Pretrainer}, {@link BatchAssembler},
 * {@link Checkpoints}, {@link BackboneExport}), over examples held in memory. The batch of step k is a function of
 * (seed, k) only (epoch = k / stepsPerEpoch shuffled by (seed, epoch)), so a run resumed from a checkpoint takes
 * exactly the steps an uninterrupted one takes. {@link #trainTo} trains up to a step, checkpoints there and
 * exports the backbone; called again after a kill it continues from the newest checkpoint.
 */
public final class Pretraining {

    /** The small CPU recipe: ResNet-18 1×, LARS, warmup + cosine, EMA for the target. */
    public record Recipe(Method method, int imageSize, int batchSize, long totalSteps, double baseLr,
            double weightDecay, long warmupSteps, double baseTau, int hidden, int out, int masksPerView, int depth,
            long seed) {

        public PretrainConfig toConfig() {
            LearningRateSchedule lr = new LearningRateSchedule(baseLr, batchSize, warmupSteps, totalSteps);
            HeadConfig head = new HeadConfig(hidden, out);
            boolean t = method.hasTarget();
            return new PretrainConfig(method, new ResNetConfig(depth, 1), head, t ? head : null, imageSize,
                    new MaskConfig(imageSize / ResNetConfig.stride(), masksPerView, false), DetConLossConfig.DEFAULT,
                    LarsConfig.withWeightDecay(weightDecay), lr, t ? new EmaSchedule(baseTau, totalSteps) : null);
        }
    }

    /** Per-step progress callback. */
    public interface Listener {
        void onStep(long step, long target, float loss);
    }

    private Pretraining() {
    }

    /**
     * Trains {@code recipe} on {@code data} from the newest checkpoint under {@code checkpoints} (or from step 0)
     * up to {@code target}; checkpoints at {@code target} and exports the backbone to {@code exportDir}. Returns the
     * losses of the steps run here.
     */
    public static float[] trainTo(Recipe recipe, List<Example> data, long target, long checkpointEvery,
            Path checkpoints, Path exportDir, Listener listener) throws IOException {
        try (Session s = new Session(recipe, data, checkpoints)) {
            return s.trainTo(target, checkpointEvery, exportDir, listener);
        }
    }

    /**
     * One method's networks kept across consecutive {@link #trainTo} calls in a process (building ResNet-18 and
     * restoring a checkpoint costs seconds); a session whose step does not match the newest checkpoint (another
     * process trained meanwhile, or a kill) restores from it.
     */
    public static final class Session implements AutoCloseable {
        private final Recipe recipe;
        private final List<Example> data;
        private final Path checkpoints;
        private final PretrainConfig config;
        private final BatchAssembler assembler;
        private Pretrainer p;

        public Session(Recipe recipe, List<Example> data, Path checkpoints) {
            this.recipe = recipe;
            this.data = data;
            this.checkpoints = checkpoints;
            this.config = recipe.toConfig();
            this.assembler = new BatchAssembler(config, recipe.seed());
            if (data.size() < recipe.batchSize()) {
                throw new IllegalArgumentException("need at least one full batch: " + data.size() + " < "
                        + recipe.batchSize());
            }
        }

        public float[] trainTo(long target, long checkpointEvery, Path exportDir, Listener listener)
                throws IOException {
            int b = recipe.batchSize();
            long perEpoch = data.size() / b;
            Optional<Path> latest = Checkpoints.latest(checkpoints);
            long ckStep = latest.isPresent() ? Checkpoints.readState(latest.get()).step() : -1;
            if (ckStep > target) {
                ckStep = -1; // only the newest checkpoint is kept and it is past target: from scratch
            }
            if (p == null || p.stepCount() > target || (ckStep >= 0 && p.stepCount() != ckStep)) {
                if (p != null) {
                    p.close();
                }
                // same seed, same initial weights: both methods start from the same backbone
                Torch.engine().setRandomSeed((int) recipe.seed());
                p = new Pretrainer(config, b);
                if (ckStep >= 0) {
                    Checkpoints.restore(latest.get(), p);
                }
            }
            List<Float> losses = new ArrayList<>();
            List<Example> order = null;
            long orderEpoch = -1;
            while (p.stepCount() < target) {
                long k = p.stepCount();
                long epoch = k / perEpoch;
                if (epoch != orderEpoch) {
                    order = shuffled(data, new SplittableRandom(mix(recipe.seed(), epoch)));
                    orderEpoch = epoch;
                }
                int in = (int) (k % perEpoch);
                List<Example> batch = order.subList(in * b, (in + 1) * b);
                float loss;
                try (NDManager m = Torch.newManager()) {
                    loss = p.step(assembler.assemble(batch, k, m));
                }
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("pretraining diverged at step " + k + " (loss " + loss
                            + "); the last good checkpoint is kept in " + checkpoints);
                }
                losses.add(loss);
                if (listener != null) {
                    listener.onStep(k + 1, target, loss);
                }
                if (checkpointEvery > 0 && (k + 1) % checkpointEvery == 0 && k + 1 < target) {
                    save(checkpoints, p, perEpoch, recipe.seed());
                }
            }
            if (!Checkpoints.latest(checkpoints).equals(Optional.of(checkpoints.resolve(
                    String.format("step-%08d", target))))) {
                save(checkpoints, p, perEpoch, recipe.seed());
            }
            BackboneExport.write(exportDir, p);
            float[] out = new float[losses.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = losses.get(i);
            }
            return out;
        }

        @Override
        public void close() {
            if (p != null) {
                p.close();
                p = null;
            }
        }
    }

    /** Saves a checkpoint and deletes the older ones (a ResNet-18 checkpoint is ~130 MB). */
    private static void save(Path root, Pretrainer p, long perEpoch, long seed) throws IOException {
        Checkpoints.save(root, p, p.stepCount() / perEpoch, seed);
        Checkpoints.prune(new LocalObjectStore(root), 1);
    }

    static long mix(long seed, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
