package org.detcon.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.detcon.trainer.augment.View;
import org.detcon.trainer.augment.ViewConfig;
import org.detcon.trainer.augment.ViewPipeline;
import org.detcon.trainer.masks.MaskBatch;
import org.detcon.trainer.masks.MaskCandidates;
import org.detcon.trainer.masks.MaskSampler;
import org.detcon.trainer.masks.SampledMasks;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;

/**
 * Turns examples into a {@link PretrainBatch}-ready pair of views with sampled masks: per image, two views (the
 * method's pipelines: BYOL views 1/2 for DetCon_B and BYOL, SimCLR views for DetCon_S and SimCLR), each view's label
 * maps downsampled to the feature grid and R masks drawn among those that exist in it (SimCLR: the global mask). Randomness is a pure
 * function of (seed, step, position in batch), so any batch can be rebuilt.
 */
public final class BatchAssembler {

    private final PretrainConfig config;
    private final long seed;
    private final ViewPipeline view1;
    private final ViewPipeline view2;
    private final MaskSampler sampler;

    public BatchAssembler(PretrainConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        boolean byol = config.method().hasTarget();
        int s = config.imageSize();
        this.view1 = new ViewPipeline((byol ? ViewConfig.byolView1() : ViewConfig.simclr()).withOutputSize(s));
        this.view2 = new ViewPipeline((byol ? ViewConfig.byolView2() : ViewConfig.simclr()).withOutputSize(s));
        this.sampler = new MaskSampler(config.masks());
    }

    /** The views and masks of one example (for inspection and tests). */
    public record Pair(View view1, View view2, SampledMasks masks1, SampledMasks masks2) {
    }

    public Pair make(Example example, long step, int index) {
        return make(example, new SplittableRandom(mix(seed, step, index)));
    }

    /**
     * The views and masks of a sample streamed from shards: randomness is a pure function of (seed, epoch, index of
     * the sample in the epoch's order), whatever thread computes it.
     */
    public Pair makeForSample(Example example, long epoch, long sampleIndex) {
        long h = mix(seed ^ STREAM_SALT, epoch, (int) (sampleIndex >>> 31));
        return make(example, new SplittableRandom(mix(h, sampleIndex & 0x7FFFFFFFL, 0x5EED)));
    }

    private static final long STREAM_SALT = 0x6A09E667F3BCC909L;

    /** The views and masks of one example with randomness from {@code rng}. Thread-safe. */
    public Pair make(Example example, SplittableRandom rng) {
        // SimCLR is DetCon_S on the global (1x1 grid) mask, whatever masks the example carries
        Example e = config.method() == Method.SIMCLR ? Example.grid(example.key(), example.image(), 1) : example;
        SplittableRandom r1 = rng.split();
        SplittableRandom r2 = rng.split();
        SplittableRandom rm = rng.split();
        View v1 = view1.apply(e.image(), e.masks(), r1);
        View v2 = view2.apply(e.image(), e.masks(), r2);
        if (config.method() == Method.BYOL) {
            return new Pair(v1, v2, null, null);
        }
        return new Pair(v1, v2, sampler.sample(candidates(e, v1), 1, rm), sampler.sample(candidates(e, v2), 2, rm));
    }

    private MaskCandidates candidates(Example e, View v) {
        return e.kind() == Example.Kind.PARTITION
                ? MaskCandidates.fromLabelMap(v.labelMaps().get(0), config.masks())
                : MaskCandidates.fromOverlapping(v.labelMaps(), config.masks().gridSize());
    }

    /** A batch on {@code manager}; close the manager after the step. */
    public org.detcon.trainer.train.PretrainBatch assemble(List<Example> examples, long step, NDManager manager) {
        List<Pair> pairs = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            pairs.add(make(examples.get(i), step, i));
        }
        return assemblePairs(pairs, manager);
    }

    /** A batch on {@code manager} from views made already (e.g. by the shard loader's threads). */
    public org.detcon.trainer.train.PretrainBatch assemblePairs(List<Pair> pairs, NDManager manager) {
        int b = pairs.size();
        int s = config.imageSize();
        int per = 3 * s * s;
        float[] x1 = new float[b * per];
        float[] x2 = new float[b * per];
        List<SampledMasks> m1 = new ArrayList<>();
        List<SampledMasks> m2 = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Pair p = pairs.get(i);
            System.arraycopy(p.view1().pixels(), 0, x1, i * per, per);
            System.arraycopy(p.view2().pixels(), 0, x2, i * per, per);
            m1.add(p.masks1());
            m2.add(p.masks2());
        }
        Shape shape = new Shape(b, 3, s, s);
        NDArray a1 = manager.create(x1, shape);
        NDArray a2 = manager.create(x2, shape);
        if (config.method() == Method.BYOL) {
            return new org.detcon.trainer.train.PretrainBatch(a1, a2, null, null);
        }
        return new org.detcon.trainer.train.PretrainBatch(a1, a2, MaskBatch.of(manager, m1),
                MaskBatch.of(manager, m2));
    }

    /** A 64-bit hash of (seed, step, index): the seed of every per-sample random stream. */
    public static long mix(long seed, long step, int index) {
        long h = seed * 0x9E3779B97F4A7C15L + step;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + index;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 32);
    }
}
