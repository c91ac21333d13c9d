package org.detcon.bench.coco;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.coco.CocoResultsReader;
import org.detcon.eval.coco.data.CocoEvalLoader;
import org.detcon.eval.coco.data.EvalInput;
import org.detcon.eval.coco.eval.CocoEvaluator;
import org.detcon.eval.coco.eval.CocoSummary;
import org.detcon.eval.coco.eval.EvalParams;
import org.detcon.eval.coco.eval.IouType;
import org.detcon.eval.coco.report.CocoSummaryFormat;

/**
 * COCO bbox evaluation benchmark (not a test): a seeded val2017-sized synthetic set and timings of the Java port.
 *
 * <pre>
 *   generate DIR [SEED [IMAGES]]          writes DIR/gt.json and DIR/results.json
 *   time DIR [WARMUP [ITERS [THREADS]]]   times read, loadRes, and evaluate+accumulate+summarize (medians)
 * </pre>
 *
 * <p>The set: IMAGES images (default 5,000) of COCO-like sizes, the 80 COCO category ids with a skewed frequency,
 * ~7.3 ground truths per image (≈36k) with COCO's size mix (≈41 % small, 34 % medium, 25 % large), ≈1 % crowd, and
 * exactly 100 detections per image (500k): jittered copies of the ground truths (sometimes with the wrong category
 * or duplicated) plus random false positives, scores rounded to 3 decimals (so there are ties).
 */
public final class CocoEvalBenchmark {

    private static final int[] COCO_CAT_IDS = cocoCategoryIds();
    private static final int[][] IMAGE_SIZES = {{640, 480}, {480, 640}, {640, 427}, {500, 375}, {640, 640},
        {427, 640}, {612, 612}};

    private CocoEvalBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: generate DIR [SEED [IMAGES]] | time DIR [WARMUP [ITERS [THREADS]]]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> generate(dir, args.length > 2 ? Long.parseLong(args[2]) : 2017L,
                    args.length > 3 ? Integer.parseInt(args[3]) : 5000);
            case "time" -> time(dir, args.length > 2 ? Integer.parseInt(args[2]) : 3,
                    args.length > 3 ? Integer.parseInt(args[3]) : 7, args.length > 4 ? Integer.parseInt(args[4]) : 1);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    private static int[] cocoCategoryIds() {
        List<Integer> gaps = List.of(12, 26, 29, 30, 45, 66, 68, 69, 71, 83);
        int[] ids = new int[80];
        int n = 0;
        for (int i = 1; i <= 90; i++) {
            if (!gaps.contains(i)) {
                ids[n++] = i;
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------------------------------------ generate

    static void generate(Path dir, long seed, int nImages) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        double[] catCdf = new double[80];
        double sum = 0;
        for (int k = 0; k < 80; k++) {
            sum += 1.0 / Math.pow(k + 1, 0.9);
            catCdf[k] = sum;
        }
        for (int k = 0; k < 80; k++) {
            catCdf[k] /= sum;
        }
        JsonFactory jf = new JsonFactory();
        long annId = 1;
        int gts = 0;
        int crowd = 0;
        int dts = 0;
        int[] sizeClass = new int[3];
        try (OutputStream go = Files.newOutputStream(dir.resolve("gt.json"));
                OutputStream ro = Files.newOutputStream(dir.resolve("results.json"));
                JsonGenerator g = jf.createGenerator(go, JsonEncoding.UTF8);
                JsonGenerator r = jf.createGenerator(ro, JsonEncoding.UTF8)) {
            int[] imgIds = new int[nImages];
            int[][] imgSize = new int[nImages][];
            int id = 100;
            for (int i = 0; i < nImages; i++) {
                id += 1 + rnd.nextInt(100);
                imgIds[i] = id;
                imgSize[i] = IMAGE_SIZES[rnd.nextInt(IMAGE_SIZES.length)];
            }
            g.writeStartObject();
            g.writeArrayFieldStart("images");
            for (int i = 0; i < nImages; i++) {
                g.writeStartObject();
                g.writeNumberField("id", imgIds[i]);
                g.writeStringField("file_name", String.format(Locale.ROOT, "%012d.jpg", imgIds[i]));
                g.writeNumberField("width", imgSize[i][0]);
                g.writeNumberField("height", imgSize[i][1]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (int c : COCO_CAT_IDS) {
                g.writeStartObject();
                g.writeNumberField("id", c);
                g.writeStringField("name", "category" + c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("annotations");
            r.writeStartArray();
            List<double[]> imgDets = new ArrayList<>();
            for (int i = 0; i < nImages; i++) {
                int w = imgSize[i][0];
                int h = imgSize[i][1];
                int n = poisson(rnd, 7.3);
                imgDets.clear();
                for (int j = 0; j < n; j++) {
                    int cat = COCO_CAT_IDS[pick(catCdf, rnd.nextDouble())];
                    boolean isCrowd = rnd.nextDouble() < 0.01;
                    double[] box = randomBox(rnd, w, h, isCrowd ? 2 : -1);
                    double area = box[2] * box[3] * (0.55 + 0.35 * rnd.nextDouble());
                    sizeClass[area < 1024 ? 0 : area < 9216 ? 1 : 2]++;
                    g.writeStartObject();
                    g.writeNumberField("id", annId++);
                    g.writeNumberField("image_id", imgIds[i]);
                    g.writeNumberField("category_id", cat);
                    writeBox(g, box);
                    g.writeNumberField("area", round(area, 2));
                    g.writeNumberField("iscrowd", isCrowd ? 1 : 0);
                    g.writeEndObject();
                    gts++;
                    crowd += isCrowd ? 1 : 0;
                    // detections derived from this gt
                    if (rnd.nextDouble() < 0.9) {
                        int copies = rnd.nextDouble() < 0.3 ? 2 : 1;
                        for (int c = 0; c < copies; c++) {
                            double sigma = new double[] {0.02, 0.05, 0.1, 0.2, 0.35}[rnd.nextInt(5)];
                            double[] b = jitter(rnd, box, sigma);
                            int dcat = rnd.nextDouble() < 0.92 ? cat : COCO_CAT_IDS[pick(catCdf, rnd.nextDouble())];
                            double score = clamp(0.95 - 1.5 * sigma + 0.25 * rnd.nextGaussian() - 0.2 * c);
                            imgDets.add(new double[] {dcat, score, b[0], b[1], b[2], b[3]});
                        }
                    }
                }
                while (imgDets.size() < 100) {
                    int dcat = COCO_CAT_IDS[pick(catCdf, rnd.nextDouble())];
                    double[] b = randomBox(rnd, w, h, -1);
                    double u = rnd.nextDouble();
                    imgDets.add(new double[] {dcat, clamp(0.75 * u * u), b[0], b[1], b[2], b[3]});
                }
                // shuffle so the file is not in score order
                for (int k = imgDets.size() - 1; k > 0; k--) {
                    int q = rnd.nextInt(k + 1);
                    double[] t = imgDets.get(k);
                    imgDets.set(k, imgDets.get(q));
                    imgDets.set(q, t);
                }
                for (int k = 0; k < 100; k++) {
                    double[] d = imgDets.get(k);
                    r.writeStartObject();
                    r.writeNumberField("image_id", imgIds[i]);
                    r.writeNumberField("category_id", (int) d[0]);
                    writeBox(r, new double[] {d[2], d[3], d[4], d[5]});
                    r.writeNumberField("score", round(d[1], 3));
                    r.writeEndObject();
                    dts++;
                }
            }
            r.writeEndArray();
            g.writeEndArray();
            g.writeEndObject();
        }
        System.out.printf(Locale.ROOT,
                "generated seed=%d: %d images, %d gts (%d crowd; small/medium/large by area %d/%d/%d), %d dts%n",
                seed, nImages, gts, crowd, sizeClass[0], sizeClass[1], sizeClass[2], dts);
    }

    private static void writeBox(JsonGenerator g, double[] b) throws IOException {
        g.writeArrayFieldStart("bbox");
        for (double v : b) {
            g.writeNumber(round(v, 2));
        }
        g.writeEndArray();
    }

    private static double[] randomBox(Random rnd, int w, int h, int forcedClass) {
        double u = rnd.nextDouble();
        int cls = forcedClass >= 0 ? forcedClass : u < 0.41 ? 0 : u < 0.75 ? 1 : 2;
        double side;
        if (cls == 0) {
            side = 4 + rnd.nextDouble() * 30; // box area; the area field is 55-90 % of it
        } else if (cls == 1) {
            side = 40 + rnd.nextDouble() * 70;
        } else {
            side = 120 + rnd.nextDouble() * (Math.min(w, h) - 120);
        }
        double aspect = Math.exp((rnd.nextDouble() - 0.5) * 1.4);
        double bw = Math.min(w, side * Math.sqrt(aspect));
        double bh = Math.min(h, side / Math.sqrt(aspect));
        double x = rnd.nextDouble() * (w - bw);
        double y = rnd.nextDouble() * (h - bh);
        return new double[] {round(x, 2), round(y, 2), round(bw, 2), round(bh, 2)};
    }

    private static double[] jitter(Random rnd, double[] b, double s) {
        double w = b[2] * Math.exp(s * rnd.nextGaussian());
        double h = b[3] * Math.exp(s * rnd.nextGaussian());
        double x = b[0] + s * b[2] * rnd.nextGaussian();
        double y = b[1] + s * b[3] * rnd.nextGaussian();
        return new double[] {x, y, Math.max(1, w), Math.max(1, h)};
    }

    private static int poisson(Random rnd, double lambda) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static int pick(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    private static double clamp(double s) {
        return Math.max(0.001, Math.min(0.999, s));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    // ------------------------------------------------------------------------------------------------ time

    static void time(Path dir, int warmup, int iters, int threads) throws IOException {
        Path gtPath = dir.resolve("gt.json");
        Path dtPath = dir.resolve("results.json");
        System.out.printf(Locale.ROOT, "java %s, %d available processors, max heap %d MiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        long t0 = System.nanoTime();
        CocoDataset gt = CocoReader.read(gtPath);
        List<CocoDetection> dt = CocoResultsReader.read(dtPath);
        long t1 = System.nanoTime();
        EvalInput in = CocoEvalLoader.load(gt, dt, IouType.BBOX);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "first read (gt + results JSON): %.3f s, loadRes: %.3f s; %d gts, %d dts%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, in.dataset().gtCount(), in.dataset().dtCount());
        EvalParams p = EvalParams.defaults(IouType.BBOX);
        CocoSummary s = null;
        for (int th : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
            double[] times = new double[iters];
            for (int i = 0; i < warmup + iters; i++) {
                long a = System.nanoTime();
                s = CocoSummary.of(CocoEvaluator.evaluate(in.dataset(), p, in.iou(), th));
                long b = System.nanoTime();
                if (i >= warmup) {
                    times[i - warmup] = (b - a) / 1e9;
                }
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT,
                    "evaluate+accumulate+summarize, %d thread(s): median %.3f s, min %.3f s, max %.3f s"
                            + " (%d warm-up, %d timed)%n",
                    th, times[iters / 2], times[0], times[iters - 1], warmup, iters);
        }
        double[] readTimes = new double[Math.max(1, iters / 2)];
        for (int i = 0; i < readTimes.length; i++) {
            long a = System.nanoTime();
            CocoDataset g2 = CocoReader.read(gtPath);
            List<CocoDetection> d2 = CocoResultsReader.read(dtPath);
            CocoEvalLoader.load(g2, d2, IouType.BBOX);
            readTimes[i] = (System.nanoTime() - a) / 1e9;
        }
        Arrays.sort(readTimes);
        System.out.printf(Locale.ROOT, "read + loadRes (warm): median %.3f s over %d%n",
                readTimes[readTimes.length / 2], readTimes.length);
        System.out.print(CocoSummaryFormat.text(s));
        StringBuilder sb = new StringBuilder("JAVA_STATS");
        for (double v : s.stats()) {
            sb.append(' ').append(v);
        }
        System.out.println(sb);
        StringBuilder pc = new StringBuilder("JAVA_PERCAT");
        long[] cats = s.result().catIds();
        double[] ap = s.perCategoryAp();
        for (int k = 0; k < cats.length; k++) {
            pc.append(' ').append(cats[k]).append('=').append(ap[k]);
        }
        System.out.println(pc);
    }
}
