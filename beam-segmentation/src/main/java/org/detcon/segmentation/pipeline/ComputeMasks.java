package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.detcon.core.image.DecodeLimits;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.shard.DeadLetter;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.ShardKeys;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.segmentation.gt.GroundTruthMasks;
import org.detcon.segmentation.gt.GtMask;

/**
 * Spreads the listed inputs over the workers ({@code Reshuffle}) and turns each into a sample with its mask sets:
 * read, decode, rasterise the COCO ground truth (mask set {@code gt}), compute and encode the label maps
 * ({@link MaskComputer}). For a SHARDS input: read each shard whole, spread its samples, add the missing mask sets.
 * Outputs {@link MaskTags#SAMPLES} and {@link MaskTags#DEAD}; bad input never fails the job.
 */
public final class ComputeMasks extends PTransform<PCollection<InputItem>, PCollectionTuple> {

    private static final long serialVersionUID = 1L;
    private final MaskPipelineConfig config;

    public ComputeMasks(MaskPipelineConfig config) {
        this.config = config;
    }

    @Override
    public PCollectionTuple expand(PCollection<InputItem> items) {
        PCollection<InputItem> spread = items.apply("SpreadInputs", Reshuffle.viaRandomKey());
        if (config.inputKind() != MaskPipelineConfig.InputKind.SHARDS) {
            return coded(spread.apply("DecodeAndMask", ParDo.of(new ProcessImageFn(config))
                    .withOutputTags(MaskTags.SAMPLES, TupleTagList.of(MaskTags.DEAD))));
        }
        PCollectionTuple read = coded(spread.apply("ReadShards", ParDo.of(new ReadShardFn(config))
                .withOutputTags(MaskTags.SAMPLES, TupleTagList.of(MaskTags.DEAD))));
        PCollectionTuple added = coded(read.get(MaskTags.SAMPLES).apply("SpreadSamples", Reshuffle.viaRandomKey())
                .apply("AddMasks", ParDo.of(new AddMasksFn(config))
                        .withOutputTags(MaskTags.SAMPLES, TupleTagList.of(MaskTags.DEAD))));
        PCollection<DeadLetter> dead = PCollectionList.of(read.get(MaskTags.DEAD)).and(added.get(MaskTags.DEAD))
                .apply("ReadAndMaskRejects", Flatten.pCollections());
        return PCollectionTuple.of(MaskTags.SAMPLES, added.get(MaskTags.SAMPLES)).and(MaskTags.DEAD, dead);
    }

    private static PCollectionTuple coded(PCollectionTuple t) {
        t.get(MaskTags.SAMPLES).setCoder(ShardSampleCoder.of());
        t.get(MaskTags.DEAD).setCoder(DeadLetterCoder.of());
        return t;
    }

    /** Shared by the DoFns that decode images: the decoder, the input store, per-mask-set metrics. */
    abstract static class ImageFn<I> extends StoreDoFn<I, ShardSample> {
        private static final long serialVersionUID = 1L;
        final MaskPipelineConfig config;
        transient ImageDecoder decoder;
        transient MaskComputer.Observer observer;
        final Counter read = MaskMetrics.counter(MaskMetrics.IMAGES_READ);
        final Counter masked = MaskMetrics.counter(MaskMetrics.IMAGES_MASKED);

        ImageFn(MaskPipelineConfig config) {
            super(config.input());
            this.config = config;
        }

        @Setup
        public void setup() {
            decoder = new ImageDecoder(new DecodeLimits(config.maxPixels(), DecodeLimits.DEFAULT_MAX_ENCODED_BYTES));
            Map<String, Distribution> segs = new HashMap<>();
            Map<String, Distribution> ms = new HashMap<>();
            for (MaskSetSpec s : config.masks()) {
                segs.put(s.name(), MaskMetrics.segmentsPerImage(s.name()));
                ms.put(s.name(), MaskMetrics.msPerImage(s.name()));
            }
            observer = (name, segments, nanos) -> {
                Distribution d = segs.get(name);
                if (d != null) {
                    d.update(segments);
                    ms.get(name).update(nanos / 1_000_000);
                }
            };
        }

        /** Decodes {@code bytes}, or outputs the decoder's reason as a dead letter and returns null. */
        Image8 decode(byte[] bytes, String source, MultiOutputReceiver out) {
            try {
                return decoder.decode(bytes, source);
            } catch (ImageDecodeException e) {
                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(source, e.reason().name(), e.detail()));
                return null;
            }
        }
    }

    /** Reads, decodes and masks one image of an IMAGES or COCO input. */
    static final class ProcessImageFn extends ImageFn<InputItem> {
        private static final long serialVersionUID = 1L;

        ProcessImageFn(MaskPipelineConfig config) {
            super(config);
        }

        @ProcessElement
        public void process(@Element InputItem item, MultiOutputReceiver out) {
            read.inc();
            byte[] bytes;
            try {
                bytes = store.readAllBytes(item.key());
            } catch (IOException | IllegalArgumentException e) {
                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(item.source(),
                        ImageDecodeException.Reason.UNREADABLE.name(), String.valueOf(e)));
                return;
            }
            Image8 image = decode(bytes, item.source(), out);
            if (image == null) {
                return;
            }
            MaskComputer.GroundTruth gt = null;
            if (item.isCoco()) {
                if (image.width() != item.cocoImage().width() || image.height() != item.cocoImage().height()) {
                    out.get(MaskTags.DEAD).output(MaskMetrics.rejected(item.source(), "SIZE_MISMATCH", "the image is "
                            + image.width() + "x" + image.height() + " but its COCO entry says "
                            + item.cocoImage().width() + "x" + item.cocoImage().height()));
                    return;
                }
                try {
                    gt = groundTruth(item);
                } catch (IllegalArgumentException e) {
                    out.get(MaskTags.DEAD).output(MaskMetrics.rejected(item.source(), "BAD_ANNOTATION",
                            e.getMessage()));
                    return;
                }
            }
            try {
                String key = ShardKeys.fromSource(item.key());
                out.get(MaskTags.SAMPLES).output(MaskComputer.sample(key, bytes, image, item.source(),
                        config.dataset(), config.split(), config.masks(), gt, observer));
                masked.inc();
            } catch (RuntimeException e) {
                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(item.source(), "MASK_FAILED", String.valueOf(e)));
            }
        }

        /** The image's annotations rasterised as pycocotools does, as the {@code gt} mask set. */
        static MaskComputer.GroundTruth groundTruth(InputItem item) {
            List<GtMask> masks = GroundTruthMasks.masks(item.cocoImage(), item.annotations());
            List<RleMask> rles = new ArrayList<>(masks.size());
            for (GtMask g : masks) {
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                extra.put("id", g.annotationId());
                extra.put("category_id", g.categoryId());
                extra.put("iscrowd", g.iscrowd() ? 1 : 0);
                rles.add(new RleMask(item.cocoImage().height(), item.cocoImage().width(), g.mask().toCocoString(),
                        extra));
            }
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.put("source", "coco");
            params.put("image_id", item.cocoImage().id());
            return new MaskComputer.GroundTruth(RleMask.toBytes(rles), rles.size(), params);
        }
    }

    /** Reads the samples of one shard of a SHARDS input. */
    static final class ReadShardFn extends StoreDoFn<InputItem, ShardSample> {
        private static final long serialVersionUID = 1L;

        ReadShardFn(MaskPipelineConfig config) {
            super(config.input());
        }

        @ProcessElement
        public void process(@Element InputItem item, MultiOutputReceiver out) {
            // The shard is read whole first, so a corrupt shard rejects as one unit and emits no partial samples.
            List<ShardSample> samples = new ArrayList<>();
            try (ShardReader r = ShardReader.open(store, item.key())) {
                while (r.hasNext()) {
                    samples.add(r.next());
                }
            } catch (IOException | RuntimeException e) {
                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(item.source(), "CORRUPT_SHARD",
                        String.valueOf(e.getMessage())));
                return;
            }
            for (ShardSample s : samples) {
                out.get(MaskTags.SAMPLES).output(s);
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
            Image8 image = decode(s.image(), source, out);
            if (image == null) {
                return;
            }
            try {
                out.get(MaskTags.SAMPLES).output(MaskComputer.addMasks(s, image, config.masks(), observer));
                masked.inc();
            } catch (RuntimeException e) {
                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(source, "MASK_FAILED", String.valueOf(e)));
            }
        }
    }
}
