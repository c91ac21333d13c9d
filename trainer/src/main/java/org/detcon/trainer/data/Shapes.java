package org.detcon.trainer.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.RollingShardWriter;
import org.detcon.core.shard.SampleMetadata;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;

/**
 * A generated dataset of shapes for checking that training learns something. Each image has a mid-gray background
 * with soft, low-frequency shading and pixel noise, and 2–3 filled shapes (circle, square, triangle) of random size,
 * place and rotation, all in one gray ink per image, darker or lighter than the background. Each class has its own
 * surface pattern (circles checkered, squares striped, triangles plain), as object categories have their own look.
 * There is no colour on purpose: contrastive learning tells images and objects apart by colour first, which would
 * teach nothing about shape or texture in a few minutes of CPU training. Each image comes with its partition
 * (0 = background, shape instance i = i + 1, later shapes on top) as the mask set {@code shapes}, and a per-pixel
 * class map (0 background, 1 circle, 2 square, 3 triangle) for probes. A pure function of (seed, index).
 */
public final class Shapes {

    public static final String MASK_SET = "shapes";
    public static final int CLASSES = 4;

    private Shapes() {
    }

    /** One generated image: the training example (with the {@code shapes} partition) and its class map. */
    public record Sample(Example example, int[] classes) {
    }

    public static Sample generate(int size, long seed, int index) {
        SplittableRandom r = new SplittableRandom(BatchAssembler.mix(seed, index, 77));
        int n = size * size;
        float[] rgb = new float[n * 3];
        double g0 = 0.4 + 0.2 * r.nextDouble();
        double[] base = {g0, g0, g0};
        double g1 = r.nextBoolean() ? 0.05 + 0.2 * r.nextDouble() : 0.75 + 0.2 * r.nextDouble();
        double[] ink = {g1, g1, g1};
        // shading: two plane waves of long period, random direction and phase
        double[][] waves = new double[2][];
        for (int k = 0; k < 2; k++) {
            double a = r.nextDouble() * 2 * Math.PI;
            double f = 2 * Math.PI / (size * (0.6 + r.nextDouble()));
            waves[k] = new double[] {Math.cos(a) * f, Math.sin(a) * f, r.nextDouble() * 2 * Math.PI};
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double shade = 0;
                for (double[] w : waves) {
                    shade += 0.1 * Math.sin(x * w[0] + y * w[1] + w[2]);
                }
                for (int c = 0; c < 3; c++) {
                    rgb[(y * size + x) * 3 + c] = (float) (base[c] * (1 + shade) + (r.nextDouble() - 0.5) * 0.12);
                }
            }
        }
        int[] labels = new int[n];
        int[] classes = new int[n];
        int shapes = 2 + r.nextInt(2);
        for (int s = 0; s < shapes; s++) {
            int cls = 1 + r.nextInt(3);
            double rad = size * (0.14 + r.nextDouble() * 0.12);
            double cx = rad + r.nextDouble() * (size - 2 * rad);
            double cy = rad + r.nextDouble() * (size - 2 * rad);
            double brightness = 0.85 + 0.3 * r.nextDouble();
            double rot = r.nextDouble() * 2 * Math.PI;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    if (inside(cls, dx, dy, rad, rot)) {
                        int i = y * size + x;
                        labels[i] = s + 1;
                        classes[i] = cls;
                        double f = brightness * (1 - 0.5 * pattern(cls, dx, dy, rot, size));
                        for (int c = 0; c < 3; c++) {
                            rgb[i * 3 + c] = (float) (ink[c] * f + (r.nextDouble() - 0.5) * 0.08);
                        }
                    }
                }
            }
        }
        byte[] px = new byte[n * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(255 * Math.min(1, Math.max(0, rgb[i])));
        }
        Image8 image = new Image8(size, size, 3, px);
        String key = String.format("shape%07d", index);
        return new Sample(Example.partition(key, image, new LabelMap(size, size, labels)), classes);
    }

    /**
     * Each class has its own surface pattern, in the shape's frame, as object categories have their own look:
     * circles checkered, squares striped, triangles plain; a pattern pixel is half as bright.
     */
    private static double pattern(int cls, double dx, double dy, double rot, int size) {
        double period = Math.max(4, size / 8.0);
        double u = dx * Math.cos(rot) + dy * Math.sin(rot);
        double v = -dx * Math.sin(rot) + dy * Math.cos(rot);
        return switch (cls) {
            case 1 -> Math.sin(2 * Math.PI * u / period) * Math.sin(2 * Math.PI * v / period) > 0 ? 1 : 0;
            case 2 -> Math.sin(2 * Math.PI * u / period) > 0 ? 1 : 0;
            default -> 0;
        };
    }

    private static boolean inside(int cls, double dx, double dy, double rad, double rot) {
        switch (cls) {
            case 1:
                return dx * dx + dy * dy <= rad * rad;
            case 2: {
                double u = dx * Math.cos(rot) + dy * Math.sin(rot);
                double v = -dx * Math.sin(rot) + dy * Math.cos(rot);
                double h = rad * 0.85;
                return Math.abs(u) <= h && Math.abs(v) <= h;
            }
            default: {
                // equilateral triangle inscribed in the circle of radius rad, rotated
                for (int k = 0; k < 3; k++) {
                    double a = rot + k * 2 * Math.PI / 3;
                    // each edge's inward normal points to the centre; distance of the edge from the centre rad/2
                    if (dx * Math.cos(a) + dy * Math.sin(a) > rad / 2) {
                        return false;
                    }
                }
                return true;
            }
        }
    }

    public static List<Sample> generateAll(int size, long seed, int count) {
        List<Sample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(generate(size, seed, i));
        }
        return out;
    }

    /**
     * Writes {@code count} shape images as a shard dataset into {@code store} (PNG images, the {@code shapes}
     * partition as a label map, {@code samplesPerShard} per shard, then {@code _manifest.json}).
     */
    public static DatasetManifest writeDataset(ObjectStore store, int size, long seed, int count,
            int samplesPerShard) throws IOException {
        List<ShardInfo> infos;
        try (RollingShardWriter w = new RollingShardWriter(store, "shapes", 1L << 30, samplesPerShard)) {
            for (int i = 0; i < count; i++) {
                Example e = generate(size, seed, i).example();
                w.write(toShardSample(e, "shapes-" + seed));
            }
            infos = w.finish();
        }
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("generator", "detcon.trainer.data.Shapes");
        config.put("size", size);
        config.put("seed", seed);
        config.put("count", count);
        DatasetManifest m = DatasetManifest.of(config, "shapes", infos, 0);
        m.write(store);
        return m;
    }

    /** An example as a shard sample: PNG image plus its partition as the {@code shapes} mask set. */
    public static ShardSample toShardSample(Example e, String dataset) {
        Image8 img = e.image();
        SampleMetadata meta = new SampleMetadata(img.width(), img.height(), "generated:" + e.key(), dataset, "train",
                "png", new TreeMap<>());
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        return ShardSample.builder(e.key(), meta, png(img)).labelMap(MASK_SET, "shapes", params, e.masks().get(0))
                .build();
    }

    static byte[] png(Image8 img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.setRGB(x, y, img.sample(y, x, 0) << 16 | img.sample(y, x, 1) << 8 | img.sample(y, x, 2));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(b, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
