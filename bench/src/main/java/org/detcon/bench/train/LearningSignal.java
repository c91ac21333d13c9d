package org.detcon.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.detcon.core.image.Image8;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.checkpoint.ParameterFiles;
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
 * Does DetCon training learn anything? On generated shapes ({@link Shapes}: gray shaded backgrounds, 2–3
 * circles/squares/triangles with a per-class surface pattern; the shapes' own partition as the mask set), trains
 * DetCon_B (ResNet-18) on the CPU for a step and time budget, then compares linear probes on frozen features of the
 * trained backbone and of the same backbone at initialisation, with the zero-initialised last γ of each residual
 * branch as initialised (0) and set to 1 (batch norm on batch statistics, features standardised, ridge one-vs-all;
 * probe data disjoint from the training images):
 * <ul>
 *   <li>per cell: the class (background / circle / square / triangle) covering most of each feature-grid cell,
 *   from that cell's feature vector;</li>
 *   <li>foreground / background per cell;</li>
 *   <li>per object: the class of each shape, from the features pooled over the cells it covers.</li>
 * </ul>
 * {@code method=byol|simclr} train the baselines on the same images with the global mask, for comparison;
 * {@code backbone=URI} probes an exported backbone (e.g. the CPU recipe's, {@code detcon train}) instead of training.
 * Probe scores are balanced accuracies (mean per-class recall: background dominates the cells).
 * Arguments (key=value): method=detcon_b|detcon_s|byol|simclr size=96 batch=16 images=1024 seconds=900
 * plannedSteps=300 lr=50 (base; peak = lr × batch/256) masks=8 threads=0 seed=0 probeTrain=400 probeTest=300.
 */
public final class LearningSignal {

    private LearningSignal() {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        int size = a.integer("size", 96);
        int batch = a.integer("batch", 16);
        int images = a.integer("images", 1024);
        double seconds = a.number("seconds", 900);
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
        Method method = Method.valueOf(a.text("method", "detcon_b").toUpperCase(Locale.ROOT));
        boolean global = method == Method.BYOL || method == Method.SIMCLR;
        List<Example> train = new ArrayList<>();
        for (Shapes.Sample s : Shapes.generateAll(size, 1000 + seed, images)) {
            Example e = s.example();
            train.add(global ? Example.grid(e.key(), e.image(), 1) : e);
        }
        List<Shapes.Sample> probeTrain = Shapes.generateAll(size, 2000 + seed, a.integer("probeTrain", 400));
        List<Shapes.Sample> probeTest = Shapes.generateAll(size, 3000 + seed, a.integer("probeTest", 300));
        // the schedule is sized for the step budget we expect; the cosine ends at maxSteps (clipped beyond)
        long plannedSteps = a.integer("plannedSteps", 300);
        LearningRateSchedule schedule = new LearningRateSchedule(lr, batch, Math.max(1, plannedSteps / 20),
                plannedSteps);
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
                    + " per object (3 classes) %.3f%n", before.cell, before.foreground, before.object);
            // a stronger random baseline: the same weights with the zero-initialised last γ of each residual
            // branch set to 1 (with γ = 0 the untrained branches are silent and the cells see little)
            setZeroInitGammas(p, 1f);
            Probes before1 = probe(p, probeTrain, probeTest, size);
            setZeroInitGammas(p, 0f);
            System.out.printf(Locale.ROOT, "random, γ=1 : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per object (3 classes) %.3f%n", before1.cell, before1.foreground, before1.object);
            String trained;
            String exported = a.text("backbone", null);
            if (exported != null) {
                trained = load(p, exported, size);
            } else {
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
                trained = String.format(Locale.ROOT, "%d steps, loss %.4f -> %.4f", n, mean(losses.subList(0, w)),
                        mean(losses.subList(n - w, n)));
            }
            Probes after = probe(p, probeTrain, probeTest, size);
            System.out.printf(Locale.ROOT, "trained     : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per object (3 classes) %.3f%n", after.cell, after.foreground, after.object);
            System.out.printf(Locale.ROOT, "RESULT %s; balanced accuracy trained vs random"
                    + " init (γ=0 as trained / γ=1): per cell %.3f vs %.3f / %.3f (chance 0.25), fg/bg %.3f vs %.3f / %.3f"
                    + " (0.5), per object %.3f vs %.3f / %.3f (0.333); peak RSS %d MiB%n", trained,
                    after.cell, before.cell, before1.cell,
                    after.foreground, before.foreground, before1.foreground, after.object, before.object, before1.object,
                    ProcessMemory.peakRssBytes() >> 20);
        }
    }

    /**
     * Loads an exported backbone ({@code detcon train}'s {@code backbone/}, a path or URI) into the online network
     * in place of training; returns what it is.
     */
    private static String load(Pretrainer p, String uri, int size) {
        try (ObjectStore store = ObjectStores.open(uri)) {
            BackboneExport.Descriptor d = BackboneExport.descriptor(store);
            ResNetConfig r = p.config().resnet();
            if (d.depth() != r.depth() || d.width() != r.width() || d.inputSize() != size) {
                throw new IllegalArgumentException(uri + " holds a ResNet-" + d.depth() + " " + d.width() + "x at "
                        + d.inputSize() + " px; this probe is set up for ResNet-" + r.depth() + " " + r.width()
                        + "x at size=" + size);
            }
            ResNet.Backbone b = p.online().backbone();
            NDManager m = b.block().getParameters().valueAt(0).getArray().getManager();
            ParameterFiles.decodeInto(BackboneExport.weights(store, d), b.block(), m);
            System.out.printf(Locale.ROOT, "loaded %s: %s backbone after %d steps%n", uri, d.method(), d.step());
            return String.format(Locale.ROOT, "exported %s backbone, %d steps", d.method(), d.step());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setZeroInitGammas(Pretrainer p, float value) {
        for (ai.djl.nn.norm.BatchNorm bn : p.online().backbone().zeroInitNorms()) {
            NDArray g = bn.getParameters().get("gamma").getArray();
            g.muli(0).addi(value);
        }
    }

    private record Probes(double cell, double object, double foreground) {
    }

    /** Features of the online backbone (eval mode) → the two probes. */
    private static Probes probe(Pretrainer p, List<Shapes.Sample> trainSet, List<Shapes.Sample> testSet, int size) {
        Feats tr = features(p, trainSet, size);
        Feats te = features(p, testSet, size);
        RidgeProbe cell = new RidgeProbe(Shapes.CLASSES);
        cell.fit(tr.cellX, tr.cellY);
        RidgeProbe obj = new RidgeProbe(Shapes.CLASSES - 1);
        obj.fit(tr.objectX, tr.objectY);
        RidgeProbe fg = new RidgeProbe(2);
        fg.fit(tr.cellX, foreground(tr.cellY));
        return new Probes(cell.balancedAccuracy(te.cellX, te.cellY), obj.balancedAccuracy(te.objectX, te.objectY),
                fg.balancedAccuracy(te.cellX, foreground(te.cellY)));
    }

    private static int[] foreground(int[] y) {
        int[] f = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = y[i] == 0 ? 0 : 1;
        }
        return f;
    }

    private record Feats(float[][] cellX, int[] cellY, float[][] objectX, int[] objectY) {
    }

    private static Feats features(Pretrainer p, List<Shapes.Sample> set, int size) {
        ResNet.Backbone bb = p.online().backbone();
        int g = size / 32;
        int c = bb.config().featureChannels();
        List<float[]> cx = new ArrayList<>();
        List<Integer> cy = new ArrayList<>();
        List<float[]> ox = new ArrayList<>();
        List<Integer> oy = new ArrayList<>();
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
                for (int cy0 = 0; cy0 < g; cy0++) {
                    for (int cx0 = 0; cx0 < g; cx0++) {
                        float[] v = new float[c];
                        for (int ch = 0; ch < c; ch++) {
                            v[ch] = f[((i * c + ch) * g + cy0) * g + cx0];
                        }
                        cx.add(v);
                        cy.add(cellClass(s.classes(), size, g, cy0, cx0));
                    }
                }
                objects(s, f, i, c, g, size, ox, oy);
            }
        }
        int[] cyy = cy.stream().mapToInt(Integer::intValue).toArray();
        return new Feats(cx.toArray(new float[0][]), cyy, ox.toArray(new float[0][]),
                oy.stream().mapToInt(Integer::intValue).toArray());
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

    /**
     * Each shape of sample {@code s} with at least 1 % of the image visible: its features pooled over the grid cells
     * weighted by the fraction of each cell it covers (a soft version of DetCon's mask pooling), and its class.
     */
    private static void objects(Shapes.Sample s, float[] f, int i, int c, int g, int size, List<float[]> ox,
            List<Integer> oy) {
        int[] labels = s.example().masks().get(0).labels();
        int ids = 0;
        for (int v : labels) {
            ids = Math.max(ids, v);
        }
        for (int id = 1; id <= ids; id++) {
            double[] w = new double[g * g];
            int area = 0;
            int cls = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (labels[y * size + x] == id) {
                        w[(y * g / size) * g + x * g / size]++;
                        area++;
                        cls = s.classes()[y * size + x];
                    }
                }
            }
            if (area * 100 < size * size) {
                continue;
            }
            float[] v = new float[c];
            for (int cell = 0; cell < g * g; cell++) {
                if (w[cell] == 0) {
                    continue;
                }
                for (int ch = 0; ch < c; ch++) {
                    v[ch] += (float) (w[cell] / area) * f[(i * c + ch) * g * g + cell];
                }
            }
            ox.add(v);
            oy.add(cls - 1);
        }
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
