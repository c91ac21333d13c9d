package org.detcon.bench.masks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.segmentation.fh.Felzenszwalb;
import org.detcon.segmentation.pipeline.MaskPipeline;
import org.detcon.segmentation.pipeline.MaskPipelineConfig;
import org.detcon.segmentation.pipeline.MaskRunResult;
import org.detcon.segmentation.pipeline.MaskSetSpec;
import org.detcon.segmentation.pipeline.RunnerSetup;

/**
 * End-to-end mask pipeline benchmark (not a test; see bench/masks/run.sh).
 *
 * <pre>
 *   MaskPipelineBench library DIR MASKS          per image, one thread: decode, each FH/grid set, PNG encode
 *                                                (after one warm-up pass); prints ms per image
 *   MaskPipelineBench pipeline DIR OUT MASKS P   the Beam pipeline on the embedded Flink mini-cluster at parallelism
 *                                                P (decode, masks, encode, shard write, manifest); prints images/s
 *   MaskPipelineBench session DIR OUT MASKS P HOST:PORT JOBJAR
 *                                                the same, submitted to a Flink session cluster
 *   MaskPipelineBench verify OUT N               checks a written dataset: manifest verifies, N samples, no
 *                                                duplicate keys, only published shards visible; exit 1 if not
 * </pre>
 * Lines starting with {@code RESULT} are machine-readable: {@code RESULT key=value ...}.
 */
public final class MaskPipelineBench {

    private MaskPipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("library")) {
            library(Path.of(args[1]), MaskSetSpec.parseList(args[2]));
        } else if (args.length == 5 && args[0].equals("pipeline")) {
            pipeline(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]));
        } else if (args.length == 7 && args[0].equals("session")) {
            RunnerSetup.Prepared p = RunnerSetup.flink(args[5], Integer.parseInt(args[4]), null, List.of(args[6]));
            pipeline(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]), p);
        } else if (args.length == 3 && args[0].equals("verify")) {
            System.exit(verify(Path.of(args[1]), Long.parseLong(args[2])) ? 0 : 1);
        } else {
            System.err.println("usage: MaskPipelineBench library DIR MASKS | pipeline DIR OUT MASKS PARALLELISM"
                    + " | session DIR OUT MASKS PARALLELISM HOST:PORT JOBJAR | verify OUT SAMPLES");
            System.exit(2);
        }
    }

    static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted(Comparator.naturalOrder()).toList();
        }
    }

    static void library(Path dir, List<MaskSetSpec> specs) throws Exception {
        List<Path> files = images(dir);
        ImageDecoder dec = ImageDecoder.withDefaults();
        // warm-up pass over a few images (JIT), then the measured pass over all
        for (int pass = 0; pass < 2; pass++) {
            List<Path> set = pass == 0 ? files.subList(0, Math.min(8, files.size())) : files;
            long readNs = 0;
            long decodeNs = 0;
            long encodeNs = 0;
            long[] setNs = new long[specs.size()];
            long pixels = 0;
            for (Path f : set) {
                long t0 = System.nanoTime();
                byte[] bytes = Files.readAllBytes(f);
                long t1 = System.nanoTime();
                Image8 img = dec.decode(bytes, f.toString()).toRgb();
                long t2 = System.nanoTime();
                readNs += t1 - t0;
                decodeNs += t2 - t1;
                pixels += img.pixelCount();
                // as the pipeline does (MaskComputer): FH sets with one sigma share blur, edge sort and buckets; their
                // shared time is divided evenly among them
                List<org.detcon.segmentation.fh.FhParams> fh = new ArrayList<>();
                for (MaskSetSpec sp : specs) {
                    if (sp.kind() == MaskSetSpec.Kind.FH) {
                        fh.add(sp.fhParams());
                    }
                }
                long a = System.nanoTime();
                List<LabelMap> fhMaps = fh.isEmpty() ? List.of() : Felzenszwalb.segmentAll(img, fh);
                long fhEach = fh.isEmpty() ? 0 : (System.nanoTime() - a) / fh.size();
                int next = 0;
                for (int i = 0; i < specs.size(); i++) {
                    MaskSetSpec sp = specs.get(i);
                    long b = System.nanoTime();
                    LabelMap m = sp.kind() == MaskSetSpec.Kind.FH ? fhMaps.get(next++)
                            : org.detcon.core.labelmap.GridMasks.grid(sp.gridN(), img.width(), img.height());
                    long c = System.nanoTime();
                    LabelMapPng.encode(m);
                    long d = System.nanoTime();
                    setNs[i] += (sp.kind() == MaskSetSpec.Kind.FH ? fhEach : 0) + c - b;
                    encodeNs += d - c;
                }
            }
            if (pass == 1) {
                int n = set.size();
                StringBuilder sb = new StringBuilder("RESULT mode=library images=" + n);
                sb.append(String.format(" mean_pixels=%.0f read_ms=%.2f decode_ms=%.2f png_encode_ms=%.2f",
                        (double) pixels / n, readNs / 1e6 / n, decodeNs / 1e6 / n, encodeNs / 1e6 / n));
                long fhTotal = 0;
                for (int i = 0; i < specs.size(); i++) {
                    sb.append(String.format(" %s_ms=%.2f", specs.get(i).name(), setNs[i] / 1e6 / n));
                    fhTotal += setNs[i];
                }
                double total = (readNs + decodeNs + encodeNs + fhTotal) / 1e6 / n;
                sb.append(String.format(" masks_ms=%.2f total_ms=%.2f images_per_s=%.2f", fhTotal / 1e6 / n, total,
                        1000 / total));
                System.out.println(sb);
            }
        }
    }

    static void pipeline(Path dir, Path out, String masks, int parallelism) throws IOException {
        pipeline(dir, out, masks, parallelism, RunnerSetup.flink("[local]", parallelism, null, new ArrayList<>()));
    }

    static void pipeline(Path dir, Path out, String masks, int parallelism, RunnerSetup.Prepared p)
            throws IOException {
        int n = images(dir).size();
        MaskPipelineConfig c = MaskPipelineConfig.images(MaskPipelineConfig.absolute(dir.toString()),
                MaskSetSpec.parseList(masks), MaskPipelineConfig.absolute(out.toString()))
                .withBuckets(Math.max(1, n / 32));
        RunnerSetup.announce(p, System.out);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        MaskRunResult r = MaskPipeline.run(c, p.options(), new org.detcon.segmentation.pipeline.MaskProgressLog(
                line -> System.out.println(line), 10_000));
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.print(r.format());
        if (!r.countsAddUp() || r.manifest().samples() != n) {
            throw new IllegalStateException("expected " + n + " samples, got " + r.manifest().samples());
        }
        // cpu_s: this process's CPU time (the embedded mini-cluster runs in it; for a session cluster it is only the
        // client's, and run.sh measures the TaskManager's)
        System.out.printf("RESULT mode=%s parallelism=%d masks=%s images=%d wall_s=%.2f images_per_s=%.3f"
                + " images_per_s_per_core=%.3f cpu_s=%.2f shard_mb=%.1f%n",
                p.dashboardUrl() != null && p.dashboardUrl().startsWith("http://localhost") ? "pipeline" : "session",
                parallelism, masks.replace(',', '+'), n, wall, n / wall, n / wall / parallelism, cpu,
                r.manifest().bytes() / 1e6);
    }

    static boolean verify(Path out, long expected) throws IOException {
        ObjectStore store = ObjectStores.open(out.toString());
        DatasetManifest m = DatasetManifest.read(store);
        List<String> problems = new ArrayList<>(m.verify(store).problems());
        Set<String> keys = new HashSet<>();
        long samples = 0;
        for (ShardInfo s : m.shards()) {
            try (ShardReader r = ShardReader.open(store, s.name())) {
                while (r.hasNext()) {
                    samples++;
                    String k = r.next().key();
                    if (!keys.add(k)) {
                        problems.add("duplicate sample " + k + " (again in " + s.name() + ")");
                    }
                }
            }
        }
        if (samples != expected) {
            problems.add(samples + " samples, expected " + expected);
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                boolean listed = m.shards().stream().anyMatch(s -> s.name().equals(name));
                if (name.endsWith(".tar") && !listed) {
                    problems.add("unlisted shard file " + name);
                }
            }
        }
        System.out.printf("RESULT mode=verify samples=%d shards=%d rejected=%d problems=%d%n", samples,
                m.shards().size(), m.rejected(), problems.size());
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        return problems.isEmpty();
    }
}
