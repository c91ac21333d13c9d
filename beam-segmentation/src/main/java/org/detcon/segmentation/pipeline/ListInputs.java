package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.store.ObjectStore;

/**
 * Lists a run's inputs in one task: the image keys under the input, the images a COCO annotation file lists (with
 * their annotations, not yet rasterised), or the shard files of a dataset. Outputs {@link MaskTags#ITEMS} and
 * {@link MaskTags#DEAD} (COCO images whose file name is not a valid key).
 */
public final class ListInputs extends PTransform<PBegin, PCollectionTuple> {

    private static final long serialVersionUID = 1L;
    private final MaskPipelineConfig config;

    public ListInputs(MaskPipelineConfig config) {
        this.config = config;
    }

    @Override
    public PCollectionTuple expand(PBegin begin) {
        PCollectionTuple listed = begin.apply("Start", Create.of(config.input()))
                .apply("List", ParDo.of(new ListFn(config))
                        .withOutputTags(MaskTags.ITEMS, TupleTagList.of(MaskTags.DEAD)));
        listed.get(MaskTags.ITEMS).setCoder(InputItemCoder.of());
        listed.get(MaskTags.DEAD).setCoder(DeadLetterCoder.of());
        return listed;
    }

    static final class ListFn extends DoFn<String, InputItem> {
        private static final long serialVersionUID = 1L;
        private final MaskPipelineConfig config;

        ListFn(MaskPipelineConfig config) {
            this.config = config;
        }

        @ProcessElement
        public void process(MultiOutputReceiver out, PipelineOptions options) throws IOException {
            try (ObjectStore in = PipelineStores.open(config.input(), options)) {
                switch (config.inputKind()) {
                    case IMAGES -> {
                        for (String k : in.list("")) {
                            if (config.matchesImage(k)) {
                                MaskMetrics.counter(MaskMetrics.INPUTS_LISTED).inc();
                                out.get(MaskTags.ITEMS).output(InputItem.plain(k, in.uri(k)));
                            }
                        }
                    }
                    case SHARDS -> {
                        for (String n : shardFiles(in)) {
                            out.get(MaskTags.ITEMS).output(InputItem.plain(n, in.uri(n)));
                        }
                    }
                    case COCO -> {
                        CocoDataset coco = MaskPipeline.readCoco(config, options);
                        for (CocoImage img : coco.images()) {
                            MaskMetrics.counter(MaskMetrics.INPUTS_LISTED).inc();
                            String file = img.fileName() == null ? String.valueOf(img.id()) : img.fileName();
                            try {
                                ObjectStore.checkKey(file);
                            } catch (IllegalArgumentException e) {
                                out.get(MaskTags.DEAD).output(MaskMetrics.rejected(in.uri() + "/" + file,
                                        "BAD_ANNOTATION", e.getMessage()));
                                continue;
                            }
                            out.get(MaskTags.ITEMS).output(new InputItem(file, in.uri(file), img,
                                    coco.annotationsForImage(img.id())));
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }

        /** The shards a dataset's manifest lists, or every {@code .tar} when it has none. */
        static List<String> shardFiles(ObjectStore in) throws IOException {
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
            return names;
        }
    }
}
