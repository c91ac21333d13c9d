package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.store.ObjectStore;

/**
 * Runs once after every shard is published: gathers the shard infos ({@link MaskTags#SHARDS}) and all dead letters
 * ({@link MaskTags#DEAD}), removes stale {@code shard-*.tar} of earlier runs, writes the sorted dead-letter listing
 * and then {@code _manifest.json}, last. Outputs the manifest's config hash.
 */
public final class FinalizeDataset extends PTransform<PCollectionTuple, PCollection<String>> {

    private static final long serialVersionUID = 1L;
    static final Pattern SHARD_NAME = Pattern.compile("shard-\\d{5}-\\d{6}\\.tar");
    private final MaskPipelineConfig config;

    public FinalizeDataset(MaskPipelineConfig config) {
        this.config = config;
    }

    @Override
    public PCollection<String> expand(PCollectionTuple records) {
        PCollection<KV<Integer, ShardInfo>> shards = records.get(MaskTags.SHARDS)
                .apply("KeyShards", WithKeys.<Integer, ShardInfo>of(0).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), ShardInfoCoder.of()));
        PCollection<KV<Integer, DeadLetter>> dead = records.get(MaskTags.DEAD)
                .apply("KeyRejects", WithKeys.<Integer, DeadLetter>of(0).withKeyType(TypeDescriptors.integers()))
                .setCoder(KvCoder.of(VarIntCoder.of(), DeadLetterCoder.of()));
        return KeyedPCollectionTuple.of(MaskTags.SHARDS, shards).and(MaskTags.DEAD, dead)
                .apply("Gather", CoGroupByKey.create())
                .apply("WriteManifest", ParDo.of(new FinalizeFn(config)))
                .setCoder(StringUtf8Coder.of());
    }

    static final class FinalizeFn extends DoFn<KV<Integer, CoGbkResult>, String> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;

        FinalizeFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @ProcessElement
        public void process(@Element KV<Integer, CoGbkResult> all, OutputReceiver<String> out,
                            PipelineOptions options) throws IOException {
            List<ShardInfo> shards = new ArrayList<>();
            all.getValue().getAll(MaskTags.SHARDS).forEach(shards::add);
            List<DeadLetter> dead = new ArrayList<>();
            all.getValue().getAll(MaskTags.DEAD).forEach(dead::add);
            if (config.inputKind() == MaskPipelineConfig.InputKind.SHARDS) {
                try (ObjectStore in = PipelineStores.open(config.input(), options)) {
                    dead.addAll(DeadLetter.readIfPresent(in)); // earlier rejects carry over
                }
            }
            shards.sort(Comparator.comparing(ShardInfo::name));
            dead.sort(Comparator.comparing(DeadLetter::input).thenComparing(DeadLetter::reason));
            try (ObjectStore store = PipelineStores.open(config.output(), options)) {
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
}
