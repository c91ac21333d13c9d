package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.image.DecodeLimits;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.RollingShardWriter;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardKeys;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.segmentation.gt.GroundTruthMasks;
import org.detcon.segmentation.gt.GtMask;

/**
 * The Beam pipeline that turns images (a folder or prefix, a COCO dataset, or existing shards) into mask shards.
 *
 * <pre>
 *  Create(1) ─ ListInputs ─ Reshuffle ─ Decode+Compute ──samples──▶ bucket = sha256(key) mod B ─ GroupByKey ─ WriteShards
 *                 │                        │                                                         │ shard infos
 *                 └──────── dead letters ──┴─────────────────────────────────────────────────────────┴─▶ Finalize
 *                                                                    (_dead_letters.jsonl, _manifest.json)
 * </pre>
 *
 * <p><b>Determinism.</b> A sample's bucket depends only on its key, and a bucket's samples are sorted by key
 * before they are written, so the same input and config give the same samples in the same shards, byte for
 * byte ({@code shard-BBBBB-NNNNNN.tar}: bucket B, file N of that bucket when it rolls over
 * {@code shardMaxBytes}). <b>Atomicity.</b> Each shard is written by one DoFn call through
 * {@link ObjectStore#create} and appears only when complete; a retried bundle rewrites the same bytes under the
 * same name, so retries never duplicate samples. Finalize lists the shards, removes stale {@code shard-*.tar}
 * files of earlier runs, writes the sorted dead-letter listing and then the manifest, last.
 * <b>Counts.</b> Every input ends up either in a shard or in the dead-letter listing.
 */
public final class MaskPipeline {

    /** Beam metrics namespace. */
    public static final String NAMESPACE = "detcon.masks";
    static final Pattern SHARD_NAME = Pattern.compile("shard-\\d{5}-\\d{6}\\.tar");

    static final TupleTag<InputItem> ITEMS = new TupleTag<>() { };
    static final TupleTag<ShardSample> SAMPLES = new TupleTag<>() { };
    static final TupleTag<String> DEAD = new TupleTag<>() { };

    private MaskPipeline() {
    }

    // ------------------------------------------------------------------------------------------------- the driver

    /** Fills in the automatic bucket count; returns the config and the number of inputs expected (-1 unknown). */
    public static Resolved resolve(MaskPipelineConfig config) throws IOException {
        long inputs = countInputs(config);
        MaskPipelineConfig c = config;
        if (c.buckets() == 0) {
            long n = inputs <= 0 ? 1 : (inputs + c.samplesPerShard() - 1) / c.samplesPerShard();
            c = c.withBuckets((int) Math.max(1, Math.min(n, 99_999)));
        }
        return new Resolved(c, inputs);
    }

    /** A config with its bucket count resolved, and the inputs the driver counted. */
    public record Resolved(MaskPipelineConfig config, long expectedInputs) {
    }

    /** Adds the pipeline to {@code p}. The config must be {@link #resolve resolved}. */
    public static void build(Pipeline p, MaskPipelineConfig config) {
        if (config.buckets() < 1) {
            throw new IllegalArgumentException("resolve the config first (buckets = 0)");
        }
        PCollectionTuple listed = p.apply("Start", Create.of("inputs"))
                .apply("ListInputs", ParDo.of(new ListInputsFn(config)).withOutputTags(ITEMS, TupleTagList.of(DEAD)));
        PCollection<InputItem> items = listed.get(ITEMS).setCoder(SerializableCoder.of(InputItem.class))
                .apply("SpreadInputs", Reshuffle.viaRandomKey());
        PCollectionTuple computed;
        if (config.inputKind() == MaskPipelineConfig.InputKind.SHARDS) {
            PCollectionTuple read = items.apply("ReadShards",
                    ParDo.of(new ReadShardFn(config)).withOutputTags(SAMPLES, TupleTagList.of(DEAD)));
            read.get(DEAD).setCoder(StringUtf8Coder.of());
            PCollection<ShardSample> in = read.get(SAMPLES).setCoder(ShardSampleCoder.of())
                    .apply("SpreadSamples", Reshuffle.viaRandomKey());
            PCollectionTuple added = in.apply("AddMasks",
                    ParDo.of(new AddMasksFn(config)).withOutputTags(SAMPLES, TupleTagList.of(DEAD)));
            added.get(DEAD).setCoder(StringUtf8Coder.of());
            PCollection<String> dead = PCollectionList.of(read.get(DEAD)).and(added.get(DEAD))
                    .apply("ReadAndMaskRejects", Flatten.pCollections());
            computed = PCollectionTuple.of(SAMPLES, added.get(SAMPLES)).and(DEAD, dead);
        } else {
            computed = items.apply("DecodeAndMask",
                    ParDo.of(new ProcessImageFn(config)).withOutputTags(SAMPLES, TupleTagList.of(DEAD)));
        }
        PCollection<ShardSample> samples = computed.get(SAMPLES).setCoder(ShardSampleCoder.of());
        computed.get(DEAD).setCoder(StringUtf8Coder.of());

        PCollection<String> written = samples
                .apply("AssignBucket", ParDo.of(new AssignBucketFn(config.buckets())))
                .setCoder(KvCoder.of(VarIntCoder.of(), ShardSampleCoder.of()))
                .apply("GroupByBucket", GroupByKey.create())
                .apply("WriteShards", ParDo.of(new WriteBucketFn(config)))
                .setCoder(StringUtf8Coder.of());

        PCollectionList.of(listed.get(DEAD).setCoder(StringUtf8Coder.of())).and(computed.get(DEAD)).and(written)
                .apply("AllRecords", Flatten.pCollections())
                .apply("OneKey", ParDo.of(new DoFn<String, KV<Integer, String>>() {
                    @ProcessElement
                    public void process(@Element String s, OutputReceiver<KV<Integer, String>> out) {
                        out.output(KV.of(0, s));
                    }
                }))
                .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
                .apply("GatherRecords", GroupByKey.create())
                .apply("Finalize", ParDo.of(new FinalizeFn(config)))
                .setCoder(StringUtf8Coder.of());
    }

    /**
     * Runs the pipeline with {@code options} and waits: resolves the config, removes a stale manifest, runs, and
     * reads back the manifest. Throws when the job does not finish as DONE.
     */
    public static MaskRunResult run(MaskPipelineConfig config, PipelineOptions options) throws IOException {
        Resolved r = resolve(config);
        MaskPipelineConfig c = r.config();
        try (ObjectStore out = ObjectStores.open(c.output())) {
            out.delete(DatasetManifest.FILE_NAME); // no manifest until this run has finished
        }
        Pipeline p = Pipeline.create(options);
        build(p, c);
        long t0 = System.nanoTime();
        PipelineResult result = p.run();
        PipelineResult.State state = result.waitUntilFinish();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (state != PipelineResult.State.DONE) {
            throw new IOException("mask pipeline ended in state " + state);
        }
        DatasetManifest manifest;
        try (ObjectStore out = ObjectStores.open(c.output())) {
            manifest = DatasetManifest.read(out);
        }
        return new MaskRunResult(c, manifest, r.expectedInputs(), MetricsSummary.of(result), seconds);
    }

    static long countInputs(MaskPipelineConfig config) throws IOException {
        try (ObjectStore in = ObjectStores.open(config.input())) {
            return countInputs(config, in);
        }
    }

    private static long countInputs(MaskPipelineConfig config, ObjectStore in) throws IOException {
        switch (config.inputKind()) {
            case IMAGES: {
                long n = 0;
                for (String k : in.list("")) {
                    if (config.matchesImage(k)) {
                        n++;
                    }
                }
                return n;
            }
            case COCO:
                return readCoco(config).images().size();
            case SHARDS:
                if (in.exists(DatasetManifest.FILE_NAME)) {
                    return DatasetManifest.read(in).inputs();
                }
                return -1;
            default:
                throw new IllegalStateException();
        }
    }

    static CocoDataset readCoco(MaskPipelineConfig config) throws IOException {
        String uri = config.cocoAnnotations();
        int slash = uri.lastIndexOf('/');
        String name = uri.substring(slash + 1);
        try (ObjectStore dir = ObjectStores.open(slash <= 0 ? "." : uri.substring(0, slash));
             InputStream in = dir.openRead(name)) {
            return CocoReader.read(in, uri);
        }
    }

    /** The bucket of a key: the first 4 bytes of sha256(key), as an unsigned number, mod {@code buckets}. */
    public static int bucketOf(String key, int buckets) {
        byte[] d = ContentHash.newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
        long v = ByteBuffer.wrap(d, 0, 4).getInt() & 0xFFFFFFFFL;
        return (int) (v % buckets);
    }

    static String deadLine(String input, String reason, String detail) {
        return "D" + new DeadLetter(input, reason + ": " + detail).toJsonLine();
    }

    static String shardLine(ShardInfo s) {
        return "S" + s.name() + "\t" + s.samples() + "\t" + s.bytes() + "\t" + s.sha256();
    }

    // -------------------------------------------------------------------------------------------------- the DoFns

    /** Lists the inputs: image keys, COCO images (with ground truth), or shard files. */
    static final class ListInputsFn extends DoFn<String, InputItem> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;
        private final Counter listed = Metrics.counter(NAMESPACE, "inputs_listed");

        ListInputsFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @ProcessElement
        public void process(MultiOutputReceiver out) throws IOException {
            try (ObjectStore in = ObjectStores.open(config.input())) {
                list(in, out);
            }
        }

        private void list(ObjectStore in, MultiOutputReceiver out) throws IOException {
            switch (config.inputKind()) {
                case IMAGES -> {
                    for (String k : in.list("")) {
                        if (config.matchesImage(k)) {
                            listed.inc();
                            out.get(ITEMS).output(InputItem.plain(k, in.uri(k)));
                        }
                    }
                }
                case SHARDS -> {
                    List<String> names = new ArrayList<>();
                    if (in.exists(DatasetManifest.FILE_NAME)) {
                        for (ShardInfo s : DatasetManifest.read(in).shards()) {
                            names.add(s.name());
                        }
                    } else {
                        for (String k : in.list("")) {
                            if (k.endsWith(".tar")) {
                                names.add(k);
                            }
                        }
                    }
                    for (String n : names) {
                        out.get(ITEMS).output(InputItem.plain(n, in.uri(n)));
                    }
                }
                case COCO -> {
                    CocoDataset coco = readCoco(config);
                    for (CocoImage img : coco.images()) {
                        listed.inc();
                        String file = img.fileName() == null ? String.valueOf(img.id()) : img.fileName();
                        String source = safeUri(in, file);
                        try {
                            ObjectStore.checkKey(file);
                            List<CocoAnnotation> anns = coco.annotationsForImage(img.id());
                            List<GtMask> masks = GroundTruthMasks.masks(img, anns);
                            List<RleMask> rles = new ArrayList<>(masks.size());
                            for (GtMask g : masks) {
                                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                                extra.put("id", g.annotationId());
                                extra.put("category_id", g.categoryId());
                                extra.put("iscrowd", g.iscrowd() ? 1 : 0);
                                rles.add(new RleMask(img.height(), img.width(), g.mask().toCocoString(), extra));
                            }
                            out.get(ITEMS).output(new InputItem(file, source, img.id(), img.width(), img.height(),
                                    new String(RleMask.toBytes(rles), StandardCharsets.UTF_8), rles.size()));
                        } catch (IllegalArgumentException e) {
                            rejected(out, source, "BAD_ANNOTATION", e.getMessage());
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        private static String safeUri(ObjectStore in, String key) {
            try {
                return in.uri(key);
            } catch (IllegalArgumentException e) {
                return in.uri() + "/" + key;
            }
        }
    }

    /** Shared by the DoFns that decode images: counters, the decoder, rejections. */
    abstract static class ImageFn<I> extends DoFn<I, ShardSample> {
        private static final long serialVersionUID = 1L;
        final MaskPipelineConfig config;
        transient ImageDecoder decoder;
        transient MaskComputer.Observer observer;
        final Counter read = Metrics.counter(NAMESPACE, "images_read");

        ImageFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @Setup
        public void setup() {
            decoder = new ImageDecoder(new DecodeLimits(config.maxPixels(), DecodeLimits.DEFAULT_MAX_ENCODED_BYTES));
            java.util.Map<String, Distribution> segs = new java.util.HashMap<>();
            java.util.Map<String, Distribution> ms = new java.util.HashMap<>();
            for (MaskSetSpec s : config.masks()) {
                segs.put(s.name(), Metrics.distribution(NAMESPACE, "segments_per_image/" + s.name()));
                ms.put(s.name(), Metrics.distribution(NAMESPACE, "ms_per_image/" + s.name()));
            }
            observer = (name, segments, nanos) -> {
                Distribution d = segs.get(name);
                if (d != null) {
                    d.update(segments);
                    ms.get(name).update(nanos / 1_000_000);
                }
            };
        }
    }

    static void rejected(DoFn.MultiOutputReceiver out, String input, String reason, String detail) {
        Metrics.counter(NAMESPACE, "rejected").inc();
        Metrics.counter(NAMESPACE, "rejected/" + reason).inc();
        out.get(DEAD).output(deadLine(input, reason, detail));
    }

    /** Reads, decodes and masks one image of an IMAGES or COCO input. */
    static final class ProcessImageFn extends ImageFn<InputItem> {
        private static final long serialVersionUID = 1L;
        private transient ObjectStore store;

        ProcessImageFn(MaskPipelineConfig config) {
            super(config);
        }

        @Override
        @Setup
        public void setup() {
            super.setup();
            store = ObjectStores.open(config.input());
        }

        @Teardown
        public void teardown() throws IOException {
            if (store != null) {
                store.close();
            }
        }

        @ProcessElement
        public void process(@Element InputItem item, MultiOutputReceiver out) {
            read.inc();
            byte[] bytes;
            try {
                bytes = store.readAllBytes(item.key());
            } catch (IOException | IllegalArgumentException e) {
                rejected(out, item.source(), ImageDecodeException.Reason.UNREADABLE.name(), String.valueOf(e));
                return;
            }
            Image8 image;
            try {
                image = decoder.decode(bytes, item.source());
            } catch (ImageDecodeException e) {
                rejected(out, item.source(), e.reason().name(), e.detail());
                return;
            }
            MaskComputer.GroundTruth gt = null;
            if (item.isCoco()) {
                if (image.width() != item.cocoWidth() || image.height() != item.cocoHeight()) {
                    rejected(out, item.source(), "SIZE_MISMATCH", "the image is " + image.width() + "x"
                            + image.height() + " but its COCO entry says " + item.cocoWidth() + "x"
                            + item.cocoHeight());
                    return;
                }
                ObjectNode params = JsonNodeFactory.instance.objectNode();
                params.put("source", "coco");
                params.put("image_id", item.cocoImageId());
                gt = new MaskComputer.GroundTruth(item.gtMasks().getBytes(StandardCharsets.UTF_8), item.gtCount(),
                        params);
            }
            try {
                String key = ShardKeys.fromSource(item.key());
                out.get(SAMPLES).output(MaskComputer.sample(key, bytes, image, item.source(), config.dataset(),
                        config.split(), config.masks(), gt, observer));
            } catch (RuntimeException e) {
                rejected(out, item.source(), "MASK_FAILED", String.valueOf(e));
            }
        }
    }

    /** Reads the samples of one shard of a SHARDS input. */
    static final class ReadShardFn extends DoFn<InputItem, ShardSample> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;
        private transient ObjectStore store;

        ReadShardFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @Setup
        public void setup() {
            store = ObjectStores.open(config.input());
        }

        @Teardown
        public void teardown() throws IOException {
            if (store != null) {
                store.close();
            }
        }

        @ProcessElement
        public void process(@Element InputItem item, MultiOutputReceiver out) throws IOException {
            // The shard is read whole first, so a corrupt shard rejects as one unit and emits no partial samples.
            List<ShardSample> samples = new ArrayList<>();
            try (ShardReader r = ShardReader.open(store, item.key())) {
                while (r.hasNext()) {
                    samples.add(r.next());
                }
            } catch (IOException | RuntimeException e) {
                rejected(out, item.source(), "CORRUPT_SHARD", String.valueOf(e.getMessage()));
                return;
            }
            for (ShardSample s : samples) {
                out.get(SAMPLES).output(s);
            }
        }
    }

    /** Adds mask sets to a sample read from existing shards. */
    static final class AddMasksFn extends ImageFn<ShardSample> {
        private static final long serialVersionUID = 1L;

        AddMasksFn(MaskPipelineConfig config) {
            super(config);
        }

        @ProcessElement
        public void process(@Element ShardSample s, MultiOutputReceiver out) {
            read.inc();
            String source = s.metadata().source();
            Image8 image;
            try {
                image = decoder.decode(s.image(), source);
            } catch (ImageDecodeException e) {
                rejected(out, source, e.reason().name(), e.detail());
                return;
            }
            try {
                out.get(SAMPLES).output(MaskComputer.addMasks(s, image, config.masks(), observer));
            } catch (RuntimeException e) {
                rejected(out, source, "MASK_FAILED", String.valueOf(e));
            }
        }
    }

    /** Keys each sample by its bucket. */
    static final class AssignBucketFn extends DoFn<ShardSample, KV<Integer, ShardSample>> {
        private static final long serialVersionUID = 1L;
        private final int buckets;

        AssignBucketFn(int buckets) {
            this.buckets = buckets;
        }

        @ProcessElement
        public void process(@Element ShardSample s, OutputReceiver<KV<Integer, ShardSample>> out) {
            out.output(KV.of(bucketOf(s.key(), buckets), s));
        }
    }

    /** Writes one bucket's samples, sorted by key, as {@code shard-BBBBB-NNNNNN.tar} files. */
    static final class WriteBucketFn extends DoFn<KV<Integer, Iterable<ShardSample>>, String> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;
        private final Counter written = Metrics.counter(NAMESPACE, "images_written");
        private final Counter shards = Metrics.counter(NAMESPACE, "shards_written");
        private transient ObjectStore store;

        WriteBucketFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @Setup
        public void setup() {
            store = ObjectStores.open(config.output());
        }

        @Teardown
        public void teardown() throws IOException {
            if (store != null) {
                store.close();
            }
        }

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<ShardSample>> bucket, OutputReceiver<String> out)
                throws IOException {
            List<ShardSample> samples = new ArrayList<>();
            for (ShardSample s : bucket.getValue()) {
                samples.add(s);
            }
            samples.sort(Comparator.comparing(ShardSample::key));
            String prefix = String.format(Locale.ROOT, "shard-%05d", bucket.getKey());
            RollingShardWriter w = new RollingShardWriter(store, prefix, config.shardMaxBytes(), Long.MAX_VALUE);
            List<String> dead = new ArrayList<>();
            String previous = null;
            try {
                for (ShardSample s : samples) {
                    if (s.key().equals(previous)) {
                        dead.add(deadLine(s.metadata().source(), "DUPLICATE_KEY", "another input has the key "
                                + s.key()));
                        continue;
                    }
                    previous = s.key();
                    w.write(s);
                }
            } catch (IOException | RuntimeException e) {
                w.abort();
                throw e;
            }
            // count only after the shards are published: a failed bundle is retried as a whole
            for (ShardInfo info : w.finish()) {
                out.output(shardLine(info));
                written.inc(info.samples());
                shards.inc();
            }
            for (String d : dead) {
                Metrics.counter(NAMESPACE, "rejected").inc();
                Metrics.counter(NAMESPACE, "rejected/DUPLICATE_KEY").inc();
                out.output(d);
            }
        }
    }

    /** Writes the sorted dead-letter listing, removes stale shards and writes the manifest, last. */
    static final class FinalizeFn extends DoFn<KV<Integer, Iterable<String>>, String> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;

        FinalizeFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<String>> all, OutputReceiver<String> out)
                throws IOException {
            List<ShardInfo> shards = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            for (String line : all.getValue()) {
                if (line.startsWith("S")) {
                    String[] f = line.substring(1).split("\t");
                    shards.add(new ShardInfo(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                } else if (line.startsWith("D")) {
                    byte[] b = line.substring(1).getBytes(StandardCharsets.UTF_8);
                    dead.addAll(DeadLetter.read(new ByteArrayInputStream(b), "dead letter"));
                } else {
                    throw new IllegalStateException("unexpected record " + line);
                }
            }
            if (config.inputKind() == MaskPipelineConfig.InputKind.SHARDS) {
                try (ObjectStore in = ObjectStores.open(config.input())) {
                    dead.addAll(DeadLetter.readIfPresent(in)); // earlier rejects carry over
                }
            }
            shards.sort(Comparator.comparing(ShardInfo::name));
            dead.sort(Comparator.comparing(DeadLetter::input).thenComparing(DeadLetter::reason));
            try (ObjectStore store = ObjectStores.open(config.output())) {
                finish(store, shards, dead, out);
            }
        }

        private void finish(ObjectStore store, List<ShardInfo> shards, List<DeadLetter> dead,
                            OutputReceiver<String> out) throws IOException {
            Set<String> names = new HashSet<>();
            for (ShardInfo s : shards) {
                names.add(s.name());
            }
            for (String k : store.list("")) {
                if (SHARD_NAME.matcher(k).matches() && !names.contains(k)) {
                    store.delete(k); // left by an earlier run with other buckets or inputs
                }
            }
            DeadLetter.writeAll(store, dead);
            DatasetManifest m = DatasetManifest.of(config.toJson(), config.codeVersion(), shards, dead.size());
            m.write(store);
            out.output(m.configSha256());
        }
    }
}
