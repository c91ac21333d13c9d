package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.RollingShardWriter;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardSample;

/**
 * Writes samples as shards: each sample goes to bucket {@code sha256(key) mod buckets} ({@link #bucketOf}), a
 * bucket's samples are sorted by key and written by one DoFn call as {@code shard-BBBBB-NNNNNN.tar} (file N when
 * the bucket rolls over the shard size), each published atomically. Outputs the published shards
 * ({@link MaskTags#SHARDS}) and {@link MaskTags#DEAD} for duplicate keys. Same samples and config, same bytes.
 *
 * <p>The keys of a published shard's samples flow on to {@code WriteShards/ImagesWritten}, which counts
 * {@value MaskMetrics#IMAGES_WRITTEN}: on Flink in BATCH mode a Beam counter reaches Flink's metrics only when its
 * task ends (the runner makes one bundle of a task's whole input), while Flink counts the records that enter that
 * step as they come, so the images written show live in its REST API and metric reporters
 * ({@code flink_taskmanager_job_task_operator_numRecordsIn{operator_name="WriteShards_ImagesWritten_..."}}).
 */
public final class WriteShards extends PTransform<PCollection<ShardSample>, PCollectionTuple> {

    private static final long serialVersionUID = 1L;
    /** The step that counts written images, one record per image (see the class comment). */
    static final String IMAGES_WRITTEN_STEP = "ImagesWritten";

    /** The keys of the samples in published shards. */
    private static final TupleTag<String> WRITTEN_KEYS = new TupleTag<>() { };
    private final MaskPipelineConfig config;

    public WriteShards(MaskPipelineConfig config) {
        if (config.buckets() < 1) {
            throw new IllegalArgumentException("resolve the config first (buckets = 0)");
        }
        this.config = config;
    }

    /** The bucket of a key: the first 4 bytes of sha256(key), as an unsigned number, mod {@code buckets}. */
    public static int bucketOf(String key, int buckets) {
        byte[] d = ContentHash.newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
        long v = ByteBuffer.wrap(d, 0, 4).getInt() & 0xFFFFFFFFL;
        return (int) (v % buckets);
    }

    @Override
    public PCollectionTuple expand(PCollection<ShardSample> samples) {
        PCollectionTuple written = samples
                .apply("AssignBucket", ParDo.of(new AssignBucketFn(config.buckets())))
                .setCoder(KvCoder.of(VarIntCoder.of(), ShardSampleCoder.of()))
                .apply("GroupByBucket", GroupByKey.create())
                .apply("Write", ParDo.of(new WriteBucketFn(config))
                        .withOutputTags(MaskTags.SHARDS, TupleTagList.of(MaskTags.DEAD).and(WRITTEN_KEYS)));
        written.get(MaskTags.SHARDS).setCoder(ShardInfoCoder.of());
        written.get(MaskTags.DEAD).setCoder(DeadLetterCoder.of());
        written.get(WRITTEN_KEYS).setCoder(StringUtf8Coder.of())
                .apply(IMAGES_WRITTEN_STEP, ParDo.of(new CountWrittenFn()));
        return PCollectionTuple.of(MaskTags.SHARDS, written.get(MaskTags.SHARDS))
                .and(MaskTags.DEAD, written.get(MaskTags.DEAD));
    }

    /** Counts {@value MaskMetrics#IMAGES_WRITTEN}, one per key. */
    static final class CountWrittenFn extends DoFn<String, Void> {
        private static final long serialVersionUID = 1L;
        private final Counter written = MaskMetrics.counter(MaskMetrics.IMAGES_WRITTEN);

        @ProcessElement
        public void process(@Element String key) {
            written.inc();
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

    /** Writes one bucket's samples, sorted by key. */
    static final class WriteBucketFn extends StoreDoFn<KV<Integer, Iterable<ShardSample>>, ShardInfo> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;
        private final Counter shards = MaskMetrics.counter(MaskMetrics.SHARDS_WRITTEN);

        WriteBucketFn(MaskPipelineConfig config) {
            super(config.output());
            this.config = config;
        }

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<ShardSample>> bucket, MultiOutputReceiver out)
                throws IOException {
            List<ShardSample> samples = new ArrayList<>();
            for (ShardSample s : bucket.getValue()) {
                samples.add(s);
            }
            samples.sort(Comparator.comparing(ShardSample::key));
            String prefix = String.format(Locale.ROOT, "shard-%05d", bucket.getKey());
            RollingShardWriter w = new RollingShardWriter(store, prefix, config.shardMaxBytes(), Long.MAX_VALUE);
            List<ShardSample> duplicates = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            String previous = null;
            try {
                for (ShardSample s : samples) {
                    if (s.key().equals(previous)) {
                        duplicates.add(s);
                        continue;
                    }
                    previous = s.key();
                    w.write(s);
                    keys.add(s.key());
                }
            } catch (IOException | RuntimeException e) {
                w.abort();
                throw e;
            }
            // counted (and the keys passed on) only once the shards are published: a failed bundle is
            // retried as a whole
            for (ShardInfo info : w.finish()) {
                out.get(MaskTags.SHARDS).output(info);
                shards.inc();
            }
            keys.forEach(out.get(WRITTEN_KEYS)::output);
            for (ShardSample s : duplicates) {
                DeadLetter d = MaskMetrics.rejected(s.metadata().source(), "DUPLICATE_KEY",
                        "another input has the key " + s.key());
                out.get(MaskTags.DEAD).output(d);
            }
        }
    }
}
