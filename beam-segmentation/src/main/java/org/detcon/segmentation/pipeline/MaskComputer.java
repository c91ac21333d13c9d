package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageFormat;
import org.detcon.core.image.ImageFormats;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.core.shard.MaskSetInfo;
import org.detcon.core.shard.SampleMetadata;
import org.detcon.core.shard.ShardSample;
import org.detcon.segmentation.fh.Felzenszwalb;
import org.detcon.core.labelmap.GridMasks;
import org.detcon.segmentation.fh.FhParams;

/**
 * Computes and encodes mask sets for one decoded image: the per-element work of {@link MaskPipeline}, also used
 * by the benchmark. FH runs on the image as RGB (grayscale replicated), as the trainers read images.
 */
public final class MaskComputer {

    /** Told about every mask set computed (for metrics). */
    @FunctionalInterface
    public interface Observer {
        void computed(String maskSet, int segments, long nanos);

        Observer NONE = (m, s, n) -> { };
    }

    private MaskComputer() {
    }

    /** The shard image extension for encoded bytes, by content ({@code jpg} or {@code png}). */
    public static String imageExtension(byte[] encoded) {
        return ImageFormats.detect(encoded).map(ImageFormat::extension)
                .orElseThrow(() -> new IllegalArgumentException("not a JPEG or PNG"));
    }

    /**
     * Adds the label-map mask sets in {@code specs} that {@code base} does not have yet (GT specs are skipped:
     * ground truth is attached from annotations, not computed). FH sets with the same sigma are computed together
     * ({@link Felzenszwalb#segmentAll}: one blur, one edge sort, a merge per scale); their shared time is divided
     * evenly among them in what the observer is told.
     */
    public static ShardSample addMasks(ShardSample base, Image8 image, List<MaskSetSpec> specs, Observer observer) {
        SampleMetadata meta = base.metadata();
        if (image.width() != meta.width() || image.height() != meta.height()) {
            throw new IllegalArgumentException("decoded image is " + image.width() + "x" + image.height()
                    + " but its metadata says " + meta.width() + "x" + meta.height());
        }
        List<MaskSetSpec> todo = new ArrayList<>();
        List<FhParams> fh = new ArrayList<>();
        for (MaskSetSpec spec : specs) {
            if (spec.kind() != MaskSetSpec.Kind.GT && !meta.masks().containsKey(spec.name())) {
                todo.add(spec);
                if (spec.kind() == MaskSetSpec.Kind.FH) {
                    fh.add(spec.fhParams());
                }
            }
        }
        List<LabelMap> fhMaps = List.of();
        long fhNanosEach = 0;
        if (!fh.isEmpty()) {
            long t0 = System.nanoTime();
            fhMaps = Felzenszwalb.segmentAll(image.toRgb(), fh);
            fhNanosEach = (System.nanoTime() - t0) / fh.size();
        }
        TreeMap<String, byte[]> files = new TreeMap<>(base.maskFiles());
        int nextFh = 0;
        for (MaskSetSpec spec : todo) {
            long t0 = System.nanoTime();
            LabelMap map;
            long nanos;
            if (spec.kind() == MaskSetSpec.Kind.FH) {
                map = fhMaps.get(nextFh++);
                nanos = fhNanosEach;
            } else {
                map = GridMasks.grid(spec.gridN(), image.width(), image.height());
                nanos = 0;
            }
            int segments = map.segmentCount();
            byte[] png = LabelMapPng.encode(map);
            nanos += System.nanoTime() - t0;
            meta = meta.withMaskSet(spec.name(), MaskSetInfo.labelMap(spec.algorithm(), spec.params(), segments));
            files.put(spec.name(), png);
            observer.computed(spec.name(), segments, nanos);
        }
        return new ShardSample(base.key(), meta, base.image(), files);
    }

    /** A new sample for an image with its computed mask sets (and a ground-truth set when {@code gt} is given). */
    public static ShardSample sample(String key, byte[] encoded, Image8 image, String source, String dataset,
                                     String split, List<MaskSetSpec> specs, GroundTruth gt, Observer observer) {
        SampleMetadata meta = new SampleMetadata(image.width(), image.height(), source, dataset, split,
                imageExtension(encoded), new TreeMap<>());
        SortedMap<String, byte[]> files = new TreeMap<>();
        if (gt != null) {
            meta = meta.withMaskSet("gt", MaskSetInfo.rle("gt", gt.params(), gt.count()));
            files.put("gt", gt.json());
        }
        return addMasks(new ShardSample(key, meta, encoded, files), image, specs, observer);
    }

    /** A COCO image's ground truth: {@code KEY.gt.json} bytes, the mask count and the per-sample params. */
    public record GroundTruth(byte[] json, int count, ObjectNode params) {
    }

    /** Sum of segments over the label-map mask sets of a sample (for reports). */
    public static int segments(SampleMetadata meta) {
        int n = 0;
        for (Map.Entry<String, MaskSetInfo> e : meta.masks().entrySet()) {
            n += e.getValue().segments();
        }
        return n;
    }
}
