package org.detcon.bench.fh;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.segmentation.fh.Felzenszwalb;
import org.detcon.segmentation.fh.FhMode;
import org.detcon.segmentation.fh.FhParams;
import org.detcon.segmentation.fh.FhProfile;

/**
 * Plain FH benchmark harness (not a test; see bench/fh/run.sh).
 *
 * <pre>
 *   FhBench compare DIR [REPEAT]      time Java FH on DIR/img/*.png (scales in DIR/skimage_times.csv), compare
 *                                     with skimage's labels in DIR/skimage/, print a table
 *   FhBench big W H SCALE [MODE [OUT]]  one synthetic W x H RGB image (run it with -Xmx1g), print time and heap
 *                                     peak; with OUT also write OUT/big.png and OUT/big_java.u32 (labels)
 *   FhBench folder DIR SCALE [REPEAT]  every PNG of DIR decoded as `detcon masks fh` decodes it; after a warm-up
 *                                     pass, this thread's CPU ms of Felzenszwalb.segment per image (min of REPEAT)
 *   FhBench process DIR SCALE [REPEAT] what `detcon masks fh` does per PNG of DIR, after a warm-up pass: thread
 *                                     CPU ms of decode, FH (with its phases) and label-map encode (min of REPEAT)
 *   FhBench scales DIR S1,S2,..       several scales per image: separate calls vs one segmentAll (shared blur, edge
 *                                     order), thread CPU ms per image
 *   FhBench ab DIR JAR_A JAR_B [R]    two builds of the FH package (org.detcon.segmentation.fh from each jar) in one
 *                                     process: per image R calls of each, alternating, thread CPU ms/MP (min per
 *                                     image): a before/after comparison that load on a shared machine cannot skew
 * </pre>
 */
public final class FhBench {

    private FhBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("compare")) {
            compare(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 5);
        } else if (args.length >= 4 && args[0].equals("big")) {
            big(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    args.length > 4 ? FhMode.valueOf(args[4]) : FhMode.EXACT, args.length > 5 ? Path.of(args[5]) : null);
        } else if (args.length >= 3 && args[0].equals("folder")) {
            folder(Path.of(args[1]), Double.parseDouble(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 2);
        } else if (args.length >= 3 && args[0].equals("process")) {
            process(Path.of(args[1]), Double.parseDouble(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 2);
        } else if (args.length >= 4 && args[0].equals("ab")) {
            ab(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 4);
        } else if (args.length == 3 && args[0].equals("scales")) {
            scales(Path.of(args[1]), args[2]);
        } else if (args.length >= 4 && args[0].equals("phases")) {
            phases(new File(args[1]), Double.parseDouble(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? FhMode.valueOf(args[4]) : FhMode.EXACT);
        } else {
            System.err.println("usage: FhBench compare DIR [REPEAT] | FhBench big W H SCALE [EXACT|FAST [OUTDIR]]");
            System.exit(2);
        }
    }

    record Row(String image, int w, int h, double scale, double skMs, double skCpuMs, int skSegments) {
    }

    static void compare(Path dir, int repeat) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("skimage_times.csv"))) {
            if (line.startsWith("image,") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            rows.add(new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6])));
        }
        // global JIT warm-up over all inputs
        for (int it = 0; it < 3; it++) {
            for (Row r : rows) {
                Image8 img = readPng(dir.resolve("img").resolve(r.image + ".png").toFile());
                Felzenszwalb.segment(img, FhParams.of(r.scale), FhMode.EXACT, null);
                Felzenszwalb.segment(img, FhParams.of(r.scale), FhMode.FAST, null);
            }
        }
        System.out.println("Wall = elapsed ms, CPU = this thread's (Java) / the process's (Python) CPU ms; medians."
                + " Ratios are skimage / Java.");
        System.out.printf("%-16s %8s %5s | %8s %8s | %8s %8s | %6s %6s %5s | %8s %6s %5s | %s%n", "image", "size",
                "scale", "java", "java", "skimage", "skimage", "ratio", "ratio", "same", "fast", "ratio", "same",
                "exact phases, CPU ms");
        System.out.printf("%-16s %8s %5s | %8s %8s | %8s %8s | %6s %6s %5s | %8s %6s %5s | %s%n", "", "", "",
                "wall", "CPU", "wall", "CPU", "wall", "CPU", "", "CPU", "CPU", "",
                "edges/filter/sort/merge/label [order]");
        double sumJava = 0;
        double sumSk = 0;
        double sumFast = 0;
        double sumMp = 0;
        int nSame = 0;
        int nFastSame = 0;
        java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        for (Row r : rows) {
            Image8 img = readPng(dir.resolve("img").resolve(r.image + ".png").toFile());
            int[] sk = readU32(dir.resolve("skimage").resolve(r.image + "__s" + (int) r.scale + ".u32"),
                    r.w * r.h);
            FhParams p = FhParams.of(r.scale);
            FhProfile prof = FhProfile.cpuTime();
            double[] exact = new double[repeat];
            double[] exactCpu = new double[repeat];
            double[] fastCpu = new double[repeat];
            LabelMap le = null;
            LabelMap lf = null;
            for (int i = 0; i < repeat; i++) {
                long c = tb.getCurrentThreadCpuTime();
                long t = System.nanoTime();
                le = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
                exact[i] = (System.nanoTime() - t) / 1e6;
                exactCpu[i] = (tb.getCurrentThreadCpuTime() - c) / 1e6;
                c = tb.getCurrentThreadCpuTime();
                lf = Felzenszwalb.segment(img, p, FhMode.FAST, null);
                fastCpu[i] = (tb.getCurrentThreadCpuTime() - c) / 1e6;
            }
            boolean same = Arrays.equals(le.labels(), sk) && le.segmentCount() == r.skSegments;
            boolean fastSame = Arrays.equals(lf.labels(), sk);
            nSame += same ? 1 : 0;
            nFastSame += fastSame ? 1 : 0;
            double me = median(exact);
            double mc = median(exactCpu);
            double mf = median(fastCpu);
            double mp = r.w * (double) r.h / 1e6;
            sumJava += mc;
            sumSk += r.skCpuMs;
            sumFast += mf;
            sumMp += mp;
            int c = prof.calls();
            System.out.printf("%-16s %8s %5d | %8.1f %8.1f | %8.1f %8.1f | %5.1fx %5.1fx %5s | %8.1f %5.1fx %5s |"
                    + " %.1f/%.1f/%.1f/%.1f/%.1f [%s]%n",
                    r.image, r.w + "x" + r.h, (int) r.scale, me, mc, r.skMs, r.skCpuMs, r.skMs / me,
                    r.skCpuMs / mc, same ? "yes" : "NO", mf, r.skCpuMs / mf, fastSame ? "yes" : "NO",
                    prof.edgesNanos() / 1e6 / c, prof.filterNanos() / 1e6 / c, prof.sortNanos() / 1e6 / c,
                    prof.mergeNanos() / 1e6 / c, prof.labelNanos() / 1e6 / c,
                    prof.introsortCalls() > 0 ? "introsort" : prof.numpyOrderLookups() > 0
                            ? "buckets+numpy lookups" : "buckets");
        }
        System.out.printf("%nidentical to skimage: exact %d/%d, fast %d/%d%n", nSame, rows.size(), nFastSame,
                rows.size());
        System.out.printf("CPU ms per MP: java exact %.0f, java fast %.0f, skimage %.0f  => exact %.1fx, fast %.1fx"
                + " faster per core%n", sumJava / sumMp, sumFast / sumMp, sumSk / sumMp, sumSk / sumJava,
                sumSk / sumFast);
    }

    /** The PNGs of a folder, decoded by core's ImageDecoder (as the CLI does), in name order. */
    static List<Object[]> pngs(Path dir) throws IOException, org.detcon.core.image.ImageDecodeException {
        org.detcon.core.image.ImageDecoder dec = org.detcon.core.image.ImageDecoder.withDefaults();
        List<Object[]> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                out.add(new Object[] {f.getFileName().toString(), dec.decode(f)});
            }
        }
        return out;
    }

    /** Thread CPU ms of FH per image over a folder (after a warm-up pass), min of REPEAT passes. */
    static void folder(Path dir, double scale, int repeat) throws Exception {
        java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        List<Object[]> imgs = pngs(dir);
        FhParams p = FhParams.of(scale);
        for (Object[] i : imgs) {
            Felzenszwalb.segment((Image8) i[1], p); // warm-up
        }
        double total = 0;
        double mp = 0;
        for (Object[] i : imgs) {
            Image8 img = (Image8) i[1];
            double best = Double.MAX_VALUE;
            for (int r = 0; r < repeat; r++) {
                long c = tb.getCurrentThreadCpuTime();
                Felzenszwalb.segment(img, p);
                best = Math.min(best, (tb.getCurrentThreadCpuTime() - c) / 1e6);
            }
            total += best;
            mp += img.pixelCount() / 1e6;
            System.out.printf("IMAGE %s %dx%d fh_cpu_ms=%.1f%n", i[0], img.width(), img.height(), best);
        }
        System.out.printf("SUMMARY images=%d mp=%.2f fh_cpu_ms=%.1f%n", imgs.size(), mp, total);
    }

    /**
     * Per image of a folder, what {@code detcon masks fh} does: decode (core's ImageDecoder), FH, 16-bit PNG
     * encode; thread CPU ms of each step after a warm-up pass, min of REPEAT passes, summed over the folder, and
     * FH's phases (min per phase).
     */
    static void process(Path dir, double scale, int repeat) throws Exception {
        java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        org.detcon.core.image.ImageDecoder dec = org.detcon.core.image.ImageDecoder.withDefaults();
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        FhParams p = FhParams.of(scale);
        int sameAsImageIo = 0;
        for (Path f : files) {
            Image8 img = dec.decode(f);
            sameAsImageIo += Arrays.equals(img.pixels(), readPng(f.toFile()).pixels()) ? 1 : 0;
            org.detcon.core.labelmap.LabelMapPng.encode(Felzenszwalb.segment(img, p)); // warm-up
        }
        double[] sum = new double[9];
        double mp = 0;
        for (Path f : files) {
            double[] best = new double[9];
            Arrays.fill(best, Double.MAX_VALUE);
            for (int r = 0; r < repeat; r++) {
                long c0 = tb.getCurrentThreadCpuTime();
                Image8 img = dec.decode(f);
                long c1 = tb.getCurrentThreadCpuTime();
                FhProfile prof = FhProfile.cpuTime();
                LabelMap lm = Felzenszwalb.segment(img, p, FhMode.EXACT, prof);
                long c2 = tb.getCurrentThreadCpuTime();
                org.detcon.core.labelmap.LabelMapPng.encode(lm);
                long c3 = tb.getCurrentThreadCpuTime();
                double[] t = {(c1 - c0) / 1e6, (c2 - c1) / 1e6, (c3 - c2) / 1e6, prof.edgesNanos() / 1e6,
                    prof.filterNanos() / 1e6, prof.sortNanos() / 1e6, prof.mergeNanos() / 1e6,
                    prof.labelNanos() / 1e6, (c3 - c0) / 1e6};
                for (int k = 0; k < t.length; k++) {
                    best[k] = Math.min(best[k], t[k]);
                }
                if (r == 0) {
                    mp += img.pixelCount() / 1e6;
                }
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] += best[k];
            }
        }
        System.out.printf("PROCESS images=%d pixels_same_as_imageio=%d mp=%.2f ms_per_mp: decode=%.0f fh=%.0f encode=%.0f all=%.0f |"
                + " fh phases: blur+edges=%.0f filter=%.0f sort=%.0f merge=%.0f label=%.0f%n", files.size(),
                sameAsImageIo, mp,
                sum[0] / mp, sum[1] / mp, sum[2] / mp, sum[8] / mp, sum[3] / mp, sum[4] / mp, sum[5] / mp,
                sum[6] / mp, sum[7] / mp);
    }

    /**
     * Two builds of the FH package in one process (each jar's {@code org.detcon.segmentation.fh} classes in their own
     * class loader, everything else shared): per image, {@code rounds} calls of each, alternating which goes first,
     * thread CPU time, min per image; prints ms/MP of each and B/A.
     */
    static void ab(Path dir, Path jarA, Path jarB, int rounds) throws Exception {
        java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        List<Object[]> imgs = pngs(dir);
        java.lang.reflect.Method[] seg = new java.lang.reflect.Method[2];
        Object[] params = new Object[2];
        Path[] jars = {jarA, jarB};
        for (int v = 0; v < 2; v++) {
            ClassLoader cl = new java.net.URLClassLoader(new java.net.URL[] {jars[v].toUri().toURL()},
                    FhBench.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (!name.startsWith("org.detcon.segmentation.fh.")) {
                        return super.loadClass(name, resolve);
                    }
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name); // this jar's FH classes, never the parent's
                    }
                }
            };
            Class<?> fh = cl.loadClass("org.detcon.segmentation.fh.Felzenszwalb");
            Class<?> fp = cl.loadClass("org.detcon.segmentation.fh.FhParams");
            params[v] = fp.getMethod("of", double.class).invoke(null, 1000.0);
            seg[v] = fh.getMethod("segment", Image8.class, fp);
        }
        double mp = 0;
        for (Object[] i : imgs) {
            mp += ((Image8) i[1]).pixelCount() / 1e6;
            for (int v = 0; v < 2; v++) {
                seg[v].invoke(null, i[1], params[v]); // warm-up
            }
        }
        double[] sum = new double[2];
        for (Object[] i : imgs) {
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int v = (r + k) % 2;
                    long c = tb.getCurrentThreadCpuTime();
                    seg[v].invoke(null, i[1], params[v]);
                    best[v] = Math.min(best[v], (tb.getCurrentThreadCpuTime() - c) / 1e6);
                }
            }
            sum[0] += best[0];
            sum[1] += best[1];
        }
        System.out.printf("AB %s images=%d mp=%.2f A_ms_per_mp=%.1f B_ms_per_mp=%.1f B/A=%.3f%n", dir.getFileName(),
                imgs.size(), mp, sum[0] / mp, sum[1] / mp, sum[1] / sum[0]);
    }

    /** Several scales per image: separate calls vs one segmentAll, thread CPU ms per image (min of 3). */
    static void scales(Path dir, String list) throws Exception {
        java.lang.management.ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        List<FhParams> ps = new ArrayList<>();
        for (String sc : list.split(",")) {
            ps.add(FhParams.of(Double.parseDouble(sc)));
        }
        List<Object[]> imgs = pngs(dir);
        for (Object[] i : imgs) {
            Felzenszwalb.segmentAll((Image8) i[1], ps); // warm-up
        }
        double separate = 0;
        double shared = 0;
        for (Object[] i : imgs) {
            Image8 img = (Image8) i[1];
            double a = Double.MAX_VALUE;
            double b = Double.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                long c = tb.getCurrentThreadCpuTime();
                for (FhParams p : ps) {
                    Felzenszwalb.segment(img, p);
                }
                a = Math.min(a, (tb.getCurrentThreadCpuTime() - c) / 1e6);
                c = tb.getCurrentThreadCpuTime();
                Felzenszwalb.segmentAll(img, ps);
                b = Math.min(b, (tb.getCurrentThreadCpuTime() - c) / 1e6);
            }
            separate += a;
            shared += b;
        }
        System.out.printf("SCALES %s images=%d separate_ms_per_image=%.1f shared_ms_per_image=%.1f saving=%.0f%%%n",
                list, imgs.size(), separate / imgs.size(), shared / imgs.size(), 100 * (1 - shared / separate));
    }

    /** Min over N runs of each phase for one PNG (for optimisation work on a busy machine). */
    static void phases(File png, double scale, int n, FhMode mode) throws IOException {
        Image8 img = readPng(png);
        double[][] t = new double[6][n];
        for (int i = 0; i < n; i++) {
            FhProfile p = FhProfile.cpuTime();
            Felzenszwalb.segment(img, FhParams.of(scale), mode, p);
            t[0][i] = p.edgesNanos() / 1e6;
            t[1][i] = p.filterNanos() / 1e6;
            t[2][i] = p.sortNanos() / 1e6;
            t[3][i] = p.mergeNanos() / 1e6;
            t[4][i] = p.labelNanos() / 1e6;
            t[5][i] = p.totalNanos() / 1e6;
        }
        String[] names = {"blur+edges", "filter", "sort", "merge", "label", "total"};
        StringBuilder sb = new StringBuilder(png.getName() + " scale " + scale + " " + mode + " (thread CPU ms):");
        for (int k = 0; k < 6; k++) {
            double[] s = t[k].clone();
            Arrays.sort(s);
            sb.append(String.format(" %s min %.2f med %.2f |", names[k], s[0], s[n / 2]));
        }
        System.out.println(sb);
    }

    static void big(int w, int h, double scale, FhMode mode, Path out) throws IOException {
        Image8 img = synthetic(w, h, 42);
        System.out.printf("max heap %d MiB, image %dx%d RGB, scale %.0f, mode %s%n",
                Runtime.getRuntime().maxMemory() >> 20, w, h, scale, mode);
        FhProfile prof = new FhProfile();
        long t = System.nanoTime();
        LabelMap lm = Felzenszwalb.segment(img, FhParams.of(scale), mode, prof);
        double ms = (System.nanoTime() - t) / 1e6;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("OK: %d segments in %.0f ms (%.2f s/MP); heap pools peak sum %d MiB; %s%n",
                lm.segmentCount(), ms, ms / 1e3 / (w * (double) h / 1e6), peak >> 20, prof);
        if (out != null) {
            // for a one-off skimage comparison: the input as PNG and the labels as raw uint32 LE
            Files.createDirectories(out);
            BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            int[] px = new int[w * h * 3];
            byte[] src = img.pixels();
            for (int i = 0; i < px.length; i++) {
                px[i] = src[i] & 0xFF;
            }
            bi.getRaster().setPixels(0, 0, w, h, px);
            px = null;
            ImageIO.write(bi, "png", out.resolve("big.png").toFile());
            bi = null;
            ByteBuffer bb = ByteBuffer.allocate(4 * w * h).order(ByteOrder.LITTLE_ENDIAN);
            bb.asIntBuffer().put(lm.labels());
            Files.write(out.resolve("big_java.u32"), bb.array());
        }
    }

    /** Deterministic photo-like RGB image: gradients, discs, stripes and hash noise. */
    static Image8 synthetic(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        java.util.Random rnd = new java.util.Random(seed);
        int nd = 60;
        double[][] discs = new double[nd][];
        for (int i = 0; i < nd; i++) {
            discs[i] = new double[] {rnd.nextDouble() * w, rnd.nextDouble() * h,
                (0.02 + 0.2 * rnd.nextDouble()) * Math.max(w, h), rnd.nextInt(256), rnd.nextInt(256),
                rnd.nextInt(256)};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = 60 + 120.0 * x / w;
                double g = 80 + 90.0 * y / h;
                double b = 140 - 60.0 * x * y / ((double) w * h);
                for (double[] d : discs) {
                    double dx = x - d[0];
                    double dy = y - d[1];
                    if (dx * dx + dy * dy < d[2] * d[2]) {
                        r = 0.85 * d[3] + 0.15 * r;
                        g = 0.85 * d[4] + 0.15 * g;
                        b = 0.85 * d[5] + 0.15 * b;
                    }
                }
                long hsh = (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ seed;
                hsh ^= hsh >>> 29;
                hsh *= 0xBF58476D1CE4E5B9L;
                int o = (y * w + x) * 3;
                px[o] = clamp(r + ((hsh >>> 8) & 7) - 3.5);
                px[o + 1] = clamp(g + ((hsh >>> 16) & 7) - 3.5);
                px[o + 2] = clamp(b + ((hsh >>> 24) & 7) - 3.5);
            }
        }
        return new Image8(w, h, 3, px);
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static int[] readU32(Path p, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[n];
        bb.asIntBuffer().get(out);
        return out;
    }

    static Image8 readPng(File f) throws IOException {
        BufferedImage bi = ImageIO.read(f);
        Raster r = bi.getRaster();
        int ch = r.getNumBands();
        int[] s = r.getPixels(0, 0, bi.getWidth(), bi.getHeight(), (int[]) null);
        byte[] px = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            px[i] = (byte) s[i];
        }
        return new Image8(bi.getWidth(), bi.getHeight(), ch, px);
    }
}
