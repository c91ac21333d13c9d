package org.detcon.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.detcon.core.image.Image8;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.augment.ColorOps;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.data.InMemoryData;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.engine.ProcessMemory;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.run.TrainingRun;
import org.detcon.trainer.run.listener.BackboneExporter;
import org.detcon.trainer.train.Method;

/**
 * Does DetCon training learn anything? On generated shapes ({@link Shapes}: gray shaded backgrounds, 2–3
 * circles/squares/triangles with a per-class surface pattern; the shapes' own partition as the mask set), trains
 * DetCon_B (ResNet-18) on the CPU through {@link TrainingRun} (examples in memory), then compares linear probes on
 * frozen features of the trained backbone and of the same backbone at initialisation (exported at step 0), with
 * the zero-initialised last γ of each residual branch as initialised (0) and set to 1 (batch norm on batch
 * statistics, features standardised, ridge one-vs-all; probe data disjoint from the training images):
 * <ul>
 *   <li>per cell: the class (background / circle / square / triangle) covering most of each feature-grid cell,
 *   from that cell's feature vector;</li>
 *   <li>foreground / background per cell;</li>
 *   <li>per object: the class of each shape, from the features pooled over the cells it covers.</li>
 * </ul>
 * {@code method=byol|simclr} train the baselines on the same images with the global mask, for comparison;
 * {@code backbone=URI} probes an exported backbone (e.g. the CPU recipe's, {@code detcon train}) instead of training.
 * Probe scores are balanced accuracies (mean per-class recall: background dominates the cells).
 * Arguments (key=value): method=detcon_b|detcon_s|byol|simclr size=96 batch=16 images=1024 steps=300 lr=50 (base;
 * peak = lr × batch/256) masks=8 threads=0 seed=0 probeTrain=400 probeTest=300 out=DIR (the run's output; a
 * temporary directory by default).
 */
public final class LearningSignal {

    private LearningSignal() {
    }

    public static void main(String[] args) throws IOException {
        Args a = new Args(args);
        int size = a.integer("size", 96);
        int batch = a.integer("batch", 16);
        int images = a.integer("images", 1024);
        long steps = a.integer("steps", 300);
        // LARS moves each weight by about lr·η·|w| per step: a short run needs the paper's peak LR (0.2 × 4096/256
        // = 3.2), not its base × a small batch/256
        double lr = a.number("lr", 50);
        int masks = a.integer("masks", 8);
        long seed = a.integer("seed", 0);
        int threads = a.integer("threads", 0);
        Method method = Method.valueOf(a.text("method", "detcon_b").toUpperCase(Locale.ROOT));
        boolean global = method == Method.BYOL || method == Method.SIMCLR;
        List<Example> train = new ArrayList<>();
        for (Shapes.Sample s : Shapes.generateAll(size, 1000 + seed, images)) {
            Example e = s.example();
            train.add(global ? Example.grid(e.key(), e.image(), 1) : e);
        }
        List<Shapes.Sample> probeTrain = Shapes.generateAll(size, 2000 + seed, a.integer("probeTrain", 400));
        List<Shapes.Sample> probeTest = Shapes.generateAll(size, 3000 + seed, a.integer("probeTest", 300));
        String out = a.text("out", null);
        if (out == null) {
            out = Files.createTempDirectory("learning-signal").toString();
        }
        TrainConfig cfg = BenchRecipe.of(method, size, batch, steps, lr, Math.max(1, steps / 20), 0.99, 1024, 128,
                masks, seed, threads, out, steps);
        double peak = cfg.toPretrainConfig(images / batch).learningRate().peak();
        System.out.printf(Locale.ROOT, "learning signal: " + method + " ResNet-18, %d px (%dx%d grid), batch %d, %d"
                + " shape images, %d masks/view, base LR %.2f (peak %.3f), %d steps -> %s%n", size, size / 32,
                size / 32, batch, images, masks, lr, peak, steps, out);
        String exported = a.text("backbone", null);
        String trained;
        if (exported == null) {
            List<Float> losses = new ArrayList<>();
            TrainingListener record = new TrainingListener() {
                @Override
                public void onStep(TrainingContext ctx, StepResult r) {
                    losses.add(r.loss());
                }
            };
            TrainingRun.Result r = TrainingRun.builder(cfg)
                    .data(new InMemoryData(train, "shapes " + size + "px seed " + (1000 + seed) + " n " + images
                            + (global ? " global mask" : "")))
                    .progress(new PrintWriter(System.err, true)).listener(record).exportAt(List.of(0L)).build().run();
            int n = losses.size();
            int w = Math.max(1, Math.min(10, n / 4));
            System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%.2f img/s): loss mean of first %d %.4f,"
                    + " of last %d %.4f%n", n, r.seconds(), n * batch / r.seconds(), w, mean(losses.subList(0, w)), w,
                    mean(losses.subList(n - w, n)));
            trained = String.format(Locale.ROOT, "%d steps, loss %.4f -> %.4f", n, mean(losses.subList(0, w)),
                    mean(losses.subList(n - w, n)));
            exported = out + "/" + BackboneExporter.location(steps, steps);
        } else {
            trained = "exported backbone " + exported;
        }
        String initial = out + "/" + BackboneExporter.location(0, steps);
        if (!Files.isDirectory(Path.of(initial))) {
            // probing an export without training: the initialisation of the same config (seeded), no step taken
            String init = Files.createTempDirectory("learning-signal-init").toString();
            TrainingRun.builder(BenchRecipe.of(method, size, batch, steps, lr, Math.max(1, steps / 20), 0.99, 1024,
                    128, masks, seed, threads, init, steps)).data(new InMemoryData(train, "init"))
                    .exportAt(List.of(0L)).build().run(0);
            initial = init + "/" + BackboneExporter.location(0, steps);
        }
        try (NDManager m = Torch.newManager()) {
            ResNet.Backbone init = load(initial, size, m);
            Probes before = probe(init, probeTrain, probeTest, size);
            System.out.printf(Locale.ROOT, "random init : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per object (3 classes) %.3f%n", before.cell, before.foreground, before.object);
            // a stronger random baseline: the same weights with the zero-initialised last γ of each residual
            // branch set to 1 (with γ = 0 the untrained branches are silent and the cells see little)
            setZeroInitGammas(init, 1f);
            Probes before1 = probe(init, probeTrain, probeTest, size);
            System.out.printf(Locale.ROOT, "random, γ=1 : balanced acc per cell (4 classes) %.3f, fg/bg per cell %.3f,"
                    + " per object (3 classes) %.3f%n", before1.cell, before1.foreground, before1.object);
            Probes after = probe(load(exported, size, m), probeTrain, probeTest, size);
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

    /** Loads an exported backbone (a path or URI), checking that it fits the probe's input size. */
    private static ResNet.Backbone load(String uri, int size, NDManager m) throws IOException {
        try (ObjectStore store = ObjectStores.open(uri)) {
            BackboneExport.Descriptor d = BackboneExport.descriptor(store);
            if (d.inputSize() != size) {
                throw new IllegalArgumentException(uri + " holds a ResNet-" + d.depth() + " at " + d.inputSize()
                        + " px; this probe is set up for size=" + size);
            }
            System.out.printf(Locale.ROOT, "loaded %s: %s ResNet-%d after %d steps%n", uri, d.method(), d.depth(),
                    d.step());
            return BackboneExport.load(store, m);
        }
    }

    private static void setZeroInitGammas(ResNet.Backbone b, float value) {
        for (ai.djl.nn.norm.BatchNorm bn : b.zeroInitNorms()) {
            NDArray g = bn.getParameters().get("gamma").getArray();
            g.muli(0).addi(value);
        }
    }

    private record Probes(double cell, double object, double foreground) {
    }

    /** Features of the backbone (batch statistics) → the three probes. */
    private static Probes probe(ResNet.Backbone p, List<Shapes.Sample> trainSet, List<Shapes.Sample> testSet, int size) {
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

    private static Feats features(ResNet.Backbone bb, List<Shapes.Sample> set, int size) {
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
                NDArray out = bb.block().forward(ps, new NDList(m.create(x, new Shape(b, 3, size, size))), true)
                        .singletonOrThrow();
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
}
