package org.detcon.bench.coco;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoReader;

/**
 * Checks that a train2017-sized instances file loads in a 2 GiB heap. Generates (once, if absent) a synthetic file
 * with train2017's shape: 118,287 images, 860,001 annotations (about 1% crowd with uncompressed RLE), polygons with
 * 2-decimal coordinates, about 450 MB; then reads it with {@link CocoReader} and reports time and heap after a GC.
 *
 * <pre>
 *   java -Xmx2g -cp ... org.detcon.bench.coco.CocoLoadBench /tmp/instances_synthetic_train.json
 * </pre>
 */
public final class CocoLoadBench {

    private CocoLoadBench() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/instances_synthetic_train.json");
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 118_287;
        int annotations = args.length > 2 ? Integer.parseInt(args[2]) : 860_001;
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            generate(file, images, annotations);
            System.out.printf(Locale.ROOT, "generated %s (%.1f MB) in %.1f s%n", file, Files.size(file) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
        long t0 = System.nanoTime();
        CocoDataset ds = CocoReader.read(file);
        double secs = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        int n = ds.annotationsForImage(ds.images().get(0).id()).size();
        double idx = (System.nanoTime() - t1) / 1e9;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf(Locale.ROOT,
                "read %d images, %d annotations, %d categories from %.1f MB in %.1f s; index %.2f s (%d anns on first"
                        + " image); heap used after GC %.0f MB of max %.0f MB; peak %s%n",
                ds.images().size(), ds.annotations().size(), ds.categories().size(), Files.size(file) / 1e6, secs,
                idx, n, used / 1e6, rt.maxMemory() / 1e6, peak());
    }

    private static String peak() {
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT, "%.0f MB (sum of pool peaks)", peak / 1e6);
    }

    static void generate(Path file, int images, int annotations) throws IOException {
        Random rnd = new Random(2017);
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            w.write("{\"info\": {\"description\": \"synthetic, train2017-shaped\", \"year\": 2017}, \"licenses\": "
                    + "[{\"url\": \"http://creativecommons.org/licenses/by-nc-sa/2.0/\", \"id\": 1, \"name\": \"x\"}],"
                    + " \"images\": [");
            int[] hs = new int[images];
            int[] ws = new int[images];
            for (int i = 0; i < images; i++) {
                hs[i] = 240 + rnd.nextInt(400);
                ws[i] = 320 + rnd.nextInt(320);
                w.write(String.format(Locale.ROOT, "%s{\"license\": 3, \"file_name\": \"%012d.jpg\", \"coco_url\": "
                        + "\"http://images.cocodataset.org/train2017/%012d.jpg\", \"height\": %d, \"width\": %d, "
                        + "\"date_captured\": \"2013-11-14 11:18:45\", \"id\": %d}", i == 0 ? "" : ", ", i + 1,
                        i + 1, hs[i], ws[i], i + 1));
            }
            w.write("], \"annotations\": [");
            StringBuilder sb = new StringBuilder(4096);
            for (int a = 0; a < annotations; a++) {
                int img = rnd.nextInt(images);
                boolean crowd = rnd.nextInt(100) == 0;
                sb.setLength(0);
                sb.append(a == 0 ? "" : ", ").append("{\"segmentation\": ");
                if (crowd) {
                    sb.append("{\"counts\": [");
                    int runs = 100 + rnd.nextInt(300);
                    int total = hs[img] * ws[img];
                    int left = total;
                    for (int r = 0; r < runs && left > 0; r++) {
                        int c = r == runs - 1 ? left : Math.min(left, rnd.nextInt(2 * total / runs + 1));
                        sb.append(r == 0 ? "" : ", ").append(c);
                        left -= c;
                    }
                    sb.append("], \"size\": [").append(hs[img]).append(", ").append(ws[img]).append("]}");
                } else {
                    sb.append('[');
                    int polys = rnd.nextInt(10) == 0 ? 2 : 1;
                    for (int p = 0; p < polys; p++) {
                        sb.append(p == 0 ? "[" : ", [");
                        int pts = 6 + rnd.nextInt(42);
                        for (int k = 0; k < pts; k++) {
                            sb.append(k == 0 ? "" : ", ");
                            sb.append(String.format(Locale.ROOT, "%.2f, %.2f", rnd.nextDouble() * ws[img],
                                    rnd.nextDouble() * hs[img]));
                        }
                        sb.append(']');
                    }
                    sb.append(']');
                }
                sb.append(String.format(Locale.ROOT, ", \"area\": %.4f, \"iscrowd\": %d, \"image_id\": %d, \"bbox\": "
                        + "[%.2f, %.2f, %.2f, %.2f], \"category_id\": %d, \"id\": %d}", rnd.nextDouble() * 5000,
                        crowd ? 1 : 0, img + 1, rnd.nextDouble() * 100, rnd.nextDouble() * 100,
                        rnd.nextDouble() * 100, rnd.nextDouble() * 100, 1 + rnd.nextInt(90),
                        crowd ? 900_100_000_000L + a : a + 1));
                w.write(sb.toString());
            }
            w.write("], \"categories\": [");
            for (int c = 1; c <= 80; c++) {
                w.write(String.format(Locale.ROOT, "%s{\"supercategory\": \"s%d\", \"id\": %d, \"name\": \"c%d\"}",
                        c == 1 ? "" : ", ", c, c, c));
            }
            w.write("]}");
        }
    }
}
