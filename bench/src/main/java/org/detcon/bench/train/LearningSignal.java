package org.detcon.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.detcon.core.image.Image8;
import org.detcon.trainer.augment.ColorOps;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Does DetCon training learn anything? On generated shapes (textured backgrounds, 2–3 circles/squares/triangles of
 * random colour; the shapes' own partition as the mask set), trains DetCon_B (ResNet-18) on the CPU for a time
 * budget, then compares linear probes on frozen features of the trained backbone and of the same backbone at
 * initialisation (eval-mode batch norm, features standardised, ridge one-vs-all; probe data disjoint from the
 * training images):
 * <ul>
 *   <li>per cell: the class (background / circle / square / triangle) covering most of each feature-grid cell,
 *   from that cell's feature vector;</li>
 *   <li>per image: the class of the largest shape, from the globally pooled features.</li>
 * </ul>
 * Probe scores are balanced accuracies (mean per-class recall: background dominates the cells).
 * Arguments (key=value): method=detcon_b|detcon_s size=96 batch=16 images=512 seconds=300 plannedSteps=150 lr=50 (base; peak = lr ×
 * batch/256) masks=8 threads=0 seed=0 probeTrain=400 probeTest=300.
 */
public final class LearningSignal {

    private LearningSignal() {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        int size = a.integer("size", 96);
        int batch = a.integer("batch", 16);
        int images = a.integer("images", 512);
        double seconds = a.number("seconds", 300);
        long maxSteps = a.integer("maxSteps", 100_000);
        // LARS moves each weight by about lr·η·|w| per step: a short run needs the paper's peak LR (0.2 × 4096/256
        // = 3.2), not its base × a small batch/256
        double lr = a.number("lr", 50);
        int masks = a.integer("masks", 8);
        long seed = a.integer("seed", 0);
        int threads = a.integer("threads", 0);
        if (threads > 0) {
            Torch.configure(threads);
        }
        Torch.engine().setRandomSeed((int) seed);
        List<Example> train = new ArrayList<>();
        for (Shapes.Sample s : Shapes.generateAll(size, 1000 + seed, images)) {
            train.add(s.example());
        }
        List<Shapes.Sample> probeTrain = Shapes.generateAll(size, 2000 + seed, a.integer("probeTrain", 400));
        List<Shapes.Sample> probeTest = Shapes.generateAll(size, 3000 + seed, a.integer("probeTest", 300));
        // the schedule is sized for the step budget we expect; the cosine ends at maxSteps (clipped beyond)
        long plannedSteps = a.integer("plannedSteps", 150);
        LearningRateSchedule schedule = new LearningRateSchedule(lr, batch, Math.max(1, plannedSteps / 20),
                plannedSteps);
        Method method = Method.valueOf(a.text("method", "detcon_b").toUpperCase(Locale.ROOT));
        boolean t = method.hasTarget();
        PretrainConfig cfg = new PretrainConfig(method, new ResNetConfig(18, 1), new HeadConfig(1024, 128),
                t ? new HeadConfig(1024, 128) : null, size, new MaskConfig(size / 32, masks, false),
                DetConLossConfig.DEFAULT, LarsConfig.withWeightDecay(1.5e-6), schedule,
                t ? new EmaSchedule(0.99, plannedSteps) : null);
        System.out.printf(Locale.ROOT, "learning signal: " + method + " ResNet-18, %d px (%dx%d grid), batch %d, %d"
                + " shape images, %d masks/view, base LR %.2f (peak %.3f), budget %.0f s / %d planned steps%n",
                size, size / 32, size / 32, batch, images, masks, lr, schedule.peak(), seconds, plannedSteps);
        try (Pretrainer p = new Pretrainer(cfg, batch)) {
            Probes before = probe(p, probeTrain, probeTest, size);
            System.out.printf(Locale.ROOT, "random init : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per image (largest shape, 3 classes) %.3f%n", before.cell, before.foreground, before.image);
            // a stronger random baseline: the same weights with the zero-initialised last γ of each residual
            // branch set to 1 (with γ = 0 the untrained branches are silent and the cells see little)
            setZeroInitGammas(p, 1f);
            Probes before1 = probe(p, probeTrain, probeTest, size);
            setZeroInitGammas(p, 0f);
            System.out.printf(Locale.ROOT, "random, γ=1 : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per image (largest shape, 3 classes) %.3f%n", before1.cell, before1.foreground, before1.image);
            BatchAssembler assembler = new BatchAssembler(cfg, seed);
            List<Float> losses = new ArrayList<>();
            long t0 = System.nanoTime();
            int perEpoch = train.size() / batch;
            List<Example> order = new ArrayList<>(train);
            long steps = Math.min(maxSteps, plannedSteps);
            for (long k = 0; k < steps && (System.nanoTime() - t0) / 1e9 < seconds; k++) {
                if (k % perEpoch == 0) {
                    shuffle(order, new SplittableRandom(seed * 31 + k));
                }
                int off = (int) (k % perEpoch) * batch;
                float loss;
                try (NDManager m = Torch.newManager()) {
                    loss = p.step(assembler.assemble(order.subList(off, off + batch), k, m));
                }
                losses.add(loss);
                if (k % 10 == 0) {
                    System.out.printf(Locale.ROOT, "step %4d loss %.4f  %.1f s  rss %d MiB%n", k, loss,
                            (System.nanoTime() - t0) / 1e9, ProcessMemory.rssBytes() >> 20);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            int n = losses.size();
            int w = Math.max(1, Math.min(10, n / 4));
            System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%.2f img/s): loss mean of first %d %.4f,"
                    + " of last %d %.4f%n", n, secs, n * batch / secs, w, mean(losses.subList(0, w)), w,
                    mean(losses.subList(n - w, n)));
            Probes after = probe(p, probeTrain, probeTest, size);
            System.out.printf(Locale.ROOT, "trained     : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per image (largest shape, 3 classes) %.3f%n", after.cell, after.foreground, after.image);
            System.out.printf(Locale.ROOT, "RESULT %d steps, loss %.4f -> %.4f; balanced accuracy trained vs random"
                    + " init (γ=0 as trained / γ=1): per cell %.3f vs %.3f / %.3f (chance 0.25), fg/bg %.3f vs %.3f / %.3f"
                    + " (0.5), per image %.3f vs %.3f / %.3f (0.333); peak RSS %d MiB%n", n,
                    mean(losses.subList(0, w)), mean(losses.subList(n - w, n)), after.cell, before.cell, before1.cell,
                    after.foreground, before.foreground, before1.foreground, after.image, before.image, before1.image,
                    ProcessMemory.peakRssBytes() >> 20);
        }
    }

    private static void setZeroInitGammas(Pretrainer p, float value) {
        for (ai.djl.nn.norm.BatchNorm bn : p.online().backbone().zeroInitNorms()) {
            NDArray g = bn.getParameters().get("gamma").getArray();
            g.muli(0).addi(value);
        }
    }

    private record Probes(double cell, double image, double foreground) {
    }

    /** Features of the online backbone (eval mode) → the two probes. */
    private static Probes probe(Pretrainer p, List<Shapes.Sample> trainSet, List<Shapes.Sample> testSet, int size) {
        Feats tr = features(p, trainSet, size);
        Feats te = features(p, testSet, size);
        RidgeProbe cell = new RidgeProbe(Shapes.CLASSES);
        cell.fit(tr.cellX, tr.cellY);
        RidgeProbe img = new RidgeProbe(Shapes.CLASSES);
        img.fit(tr.imageX, tr.imageY);
        RidgeProbe fg = new RidgeProbe(2);
        fg.fit(tr.cellX, foreground(tr.cellY));
        return new Probes(cell.balancedAccuracy(te.cellX, te.cellY), img.balancedAccuracy(te.imageX, te.imageY),
                fg.balancedAccuracy(te.cellX, foreground(te.cellY)));
    }

    private static int[] foreground(int[] y) {
        int[] f = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = y[i] == 0 ? 0 : 1;
        }
        return f;
    }

    private record Feats(float[][] cellX, int[] cellY, float[][] imageX, int[] imageY) {
    }

    private static Feats features(Pretrainer p, List<Shapes.Sample> set, int size) {
        ResNet.Backbone bb = p.online().backbone();
        int g = size / 32;
        int c = bb.config().featureChannels();
        List<float[]> cx = new ArrayList<>();
        List<Integer> cy = new ArrayList<>();
        float[][] ix = new float[set.size()][];
        int[] iy = new int[set.size()];
        int chunk = 32;
        for (int start = 0; start < set.size(); start += chunk) {
            int b = Math.min(chunk, set.size() - start);
            float[] x = new float[b * 3 * size * size];
            for (int i = 0; i < b; i++) {
                float[] px = chw(set.get(start + i).example().image());
                System.arraycopy(px, 0, x, i * px.length, px.length);
            }
            float[] f;
            try (NDManager m = Torch.newManager()) {
                ParameterStore ps = new ParameterStore(m, false);
                // batch-norm on batch statistics (training mode, no update of the weights): the random network's
                // running statistics are still the initial 0/1, which would cripple its features for no fault of
                // its weights; both networks are probed the same way
                NDArray out = p.online().features(ps, m.create(x, new Shape(b, 3, size, size)), true);
                out.attach(m);
                f = out.toFloatArray(); // [b, c, g, g]
            }
            for (int i = 0; i < b; i++) {
                Shapes.Sample s = set.get(start + i);
                float[] pooled = new float[c];
                for (int cy0 = 0; cy0 < g; cy0++) {
                    for (int cx0 = 0; cx0 < g; cx0++) {
                        float[] v = new float[c];
                        for (int ch = 0; ch < c; ch++) {
                            v[ch] = f[((i * c + ch) * g + cy0) * g + cx0];
                            pooled[ch] += v[ch] / (g * g);
                        }
                        cx.add(v);
                        cy.add(cellClass(s.classes(), size, g, cy0, cx0));
                    }
                }
                ix[start + i] = pooled;
                iy[start + i] = largest(s.classes());
            }
        }
        int[] cyy = cy.stream().mapToInt(Integer::intValue).toArray();
        return new Feats(cx.toArray(new float[0][]), cyy, ix, iy);
    }

    private static int cellClass(int[] classes, int size, int g, int cy, int cx) {
        int[] count = new int[Shapes.CLASSES];
        for (int y = cy * size / g; y < (cy + 1) * size / g; y++) {
            for (int x = cx * size / g; x < (cx + 1) * size / g; x++) {
                count[classes[y * size + x]]++;
            }
        }
        int best = 0;
        for (int k = 1; k < count.length; k++) {
            if (count[k] > count[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int largest(int[] classes) {
        int[] count = new int[Shapes.CLASSES];
        for (int v : classes) {
            count[v]++;
        }
        int best = 1;
        for (int k = 2; k < count.length; k++) {
            if (count[k] > count[best]) {
                best = k;
            }
        }
        return best;
    }

    static float[] chw(Image8 img) {
        int hw = img.width() * img.height();
        float[] px = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            for (int ch = 0; ch < 3; ch++) {
                px[ch * hw + i] = (img.pixels()[i * 3 + ch] & 0xFF) / 255f;
            }
        }
        ColorOps.normalize(px, hw);
        return px;
    }

    private static double mean(List<Float> l) {
        double s = 0;
        for (float v : l) {
            s += v;
        }
        return s / l.size();
    }

    private static void shuffle(List<Example> l, SplittableRandom r) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Example t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }
}
