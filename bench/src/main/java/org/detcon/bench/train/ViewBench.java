package org.detcon.bench.train;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;
import org.detcon.core.shard.SampleMetadata;
import org.detcon.core.shard.ShardSample;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.data.ExampleDecoder;
import org.detcon.trainer.data.Shapes;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainConfig;

/**
 * The data side: what one loader thread does per sample at 224 px with the DetCon_B recipe: decode the JPEG
 * (ImageNet-like 500×375) and the 16-bit label-map PNG from shard bytes, make both views (crop, resize bicubic +
 * nearest, flip, colour, blur, solarize, normalise) and sample 16 masks per view. Reports decoded+augmented views
 * per second per thread, with 1 thread and with {@code threads} threads, and per second of the threads' CPU time.
 * Arguments: samples=64 seconds=20 threads=2 width=500 height=375.
 */
public final class ViewBench {

    private ViewBench() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int n = a.integer("samples", 64);
        double seconds = a.number("seconds", 20);
        int threads = a.integer("threads", 2);
        int w = a.integer("width", 500);
        int h = a.integer("height", 375);
        List<ShardSample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // a shapes image cropped to w×h: textured background, several segments
            Example e = Shapes.generate(Math.max(w, h), 5, i).example();
            samples.add(toSample(e, w, h));
        }
        PretrainConfig cfg = PretrainConfig.recipe(Method.DETCON_B, ResNetConfig.resnet50(), 4096, 1000, 312);
        BatchAssembler assembler = new BatchAssembler(cfg, 0);
        ExampleDecoder decoder = new ExampleDecoder(Shapes.MASK_SET, 0);
        run(samples, assembler, decoder, 1, Math.min(5, seconds / 4)); // warm up the JIT
        double[] one = run(samples, assembler, decoder, 1, seconds);
        double[] many = threads > 1 ? run(samples, assembler, decoder, threads, seconds) : one;
        System.out.printf(Locale.ROOT, "{\"kind\":\"views\",\"res\":224,\"image\":\"%dx%d jpeg + label png\","
                + "\"views_per_s_1_thread\":%.1f,\"threads\":%d,\"views_per_s\":%.1f,\"views_per_s_per_thread\":%.1f,"
                + "\"views_per_cpu_s_1_thread\":%.1f,\"views_per_cpu_s\":%.1f,\"cores\":%d}%n", w, h, one[0], threads,
                many[0], many[0] / threads, one[1], many[1], Runtime.getRuntime().availableProcessors());
    }

    /**
     * Views per second over {@code seconds} on {@code threads} threads, and views per second of the worker threads'
     * own CPU time (what a thread does when it has a core to itself: the figure that a machine shared with other
     * jobs still measures).
     */
    private static double[] run(List<ShardSample> samples, BatchAssembler assembler, ExampleDecoder decoder,
            int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        List<Future<long[]>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(pool.submit(() -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                long done = 0;
                for (int i = id; System.nanoTime() < end; i += threads) {
                    ShardSample s = samples.get(i % samples.size());
                    BatchAssembler.Pair p = assembler.makeForSample(decoder.decode(s), 0, i);
                    if (p.view1().pixels().length == 0) {
                        throw new IllegalStateException();
                    }
                    done++;
                }
                return new long[] {done, cpu.getCurrentThreadCpuTime() - c0};
            }));
        }
        long total = 0;
        long cpuNanos = 0;
        for (Future<long[]> f : fs) {
            total += f.get()[0];
            cpuNanos += f.get()[1];
        }
        pool.shutdown();
        return new double[] {2.0 * total / ((System.nanoTime() - t0) / 1e9), 2.0 * total / (cpuNanos / 1e9)};
    }

    private static ShardSample toSample(Example e, int w, int h) throws IOException {
        Image8 img = e.image();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, img.sample(y, x, 0) << 16 | img.sample(y, x, 1) << 8 | img.sample(y, x, 2));
                labels[y * w + x] = e.masks().get(0).label(y, x);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(b, "jpg", out);
        SampleMetadata meta = new SampleMetadata(w, h, "generated", "bench", "train", "jpg", new TreeMap<>());
        return ShardSample.builder(e.key(), meta, out.toByteArray())
                .labelMap(Shapes.MASK_SET, "shapes", null, new org.detcon.core.labelmap.LabelMap(w, h, labels))
                .build();
    }
}
