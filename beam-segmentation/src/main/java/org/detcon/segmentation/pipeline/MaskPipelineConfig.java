package org.detcon.segmentation.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.detcon.core.image.DecodeLimits;
import org.detcon.core.image.ImageFormats;
import org.detcon.core.shard.ShardKeys;

/**
 * What a {@link MaskPipeline} run does. Everything that decides the output bytes is in {@link #toJson()}, which
 * becomes the {@code config} of the dataset's {@code _manifest.json} (and so its config hash).
 *
 * @param inputKind       where samples come from
 * @param input           object-store URI: folder/prefix of images (IMAGES), the image root (COCO), or a shard
 *                        dataset (SHARDS)
 * @param glob            IMAGES/COCO: which keys under {@code input} are images ({@code glob:} syntax of
 *                        {@link java.nio.file.FileSystem#getPathMatcher} on the relative key); null = any key with a
 *                        JPEG/PNG extension ({@code .jpg .jpeg .jpe .jfif .png}, any case), recursively
 * @param cocoAnnotations COCO: URI of the instances JSON (a local path or file: URI)
 * @param dataset         written to each sample's metadata (default "coco" for COCO, else the input's last segment)
 * @param split           written to each sample's metadata (COCO default: from {@code instances_<split>.json})
 * @param masks           mask sets to compute (non-empty; a COCO input always gets {@code gt} added)
 * @param output          object-store URI of the dataset to write
 * @param buckets         number of shard buckets (samples go to bucket sha256(key) mod buckets); 0 = from the
 *                        input count and {@code samplesPerShard}, resolved by {@link MaskPipeline} before running
 * @param samplesPerShard target samples per bucket when {@code buckets} is 0
 * @param shardMaxBytes   a bucket larger than this rolls over into several shard files
 * @param maxPixels       images with more pixels are rejected (TOO_LARGE)
 * @param codeVersion     recorded in the manifest (not part of the config hash)
 */
public record MaskPipelineConfig(InputKind inputKind, String input, String glob, String cocoAnnotations,
                                 String dataset, String split, List<MaskSetSpec> masks, String output, int buckets,
                                 int samplesPerShard, long shardMaxBytes, long maxPixels, String codeVersion)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default bytes per shard file before rolling over. */
    public static final long DEFAULT_SHARD_MAX_BYTES = 1L << 30;
    public static final int DEFAULT_SAMPLES_PER_SHARD = 1000;

    /** The three kinds of input. */
    public enum InputKind { IMAGES, COCO, SHARDS }

    public MaskPipelineConfig {
        Objects.requireNonNull(inputKind, "inputKind");
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("an input URI is required");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("an output URI is required");
        }
        if (trimSlash(input).equals(trimSlash(output))) {
            throw new IllegalArgumentException("input and output must differ: " + input);
        }
        masks = List.copyOf(Objects.requireNonNull(masks, "masks"));
        if (inputKind == InputKind.COCO && masks.stream().noneMatch(m -> m.kind() == MaskSetSpec.Kind.GT)) {
            java.util.ArrayList<MaskSetSpec> withGt = new java.util.ArrayList<>(masks);
            withGt.add(MaskSetSpec.gt()); // a COCO input always attaches its ground truth
            masks = List.copyOf(withGt);
        }
        if (masks.isEmpty() && inputKind != InputKind.COCO) {
            throw new IllegalArgumentException("no mask sets to compute; give e.g. --masks fh:1000,grid:5");
        }
        Set<String> names = new HashSet<>();
        for (MaskSetSpec m : masks) {
            ShardKeys.checkMaskSet(m.name());
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("mask set '" + m.name() + "' listed twice");
            }
            if (m.kind() == MaskSetSpec.Kind.GT && inputKind != InputKind.COCO) {
                throw new IllegalArgumentException("mask set 'gt' needs a COCO input (--coco ANNOTATIONS)");
            }
        }
        if (inputKind == InputKind.COCO && (cocoAnnotations == null || cocoAnnotations.isBlank())) {
            throw new IllegalArgumentException("a COCO input needs its annotations JSON");
        }
        if (inputKind != InputKind.COCO && cocoAnnotations != null) {
            throw new IllegalArgumentException("COCO annotations given for a " + inputKind + " input");
        }
        if (glob != null) {
            FileSystems.getDefault().getPathMatcher("glob:" + glob); // validates
        }
        if (buckets < 0) {
            throw new IllegalArgumentException("buckets must be >= 0 (0 = automatic), got " + buckets);
        }
        if (samplesPerShard < 1) {
            throw new IllegalArgumentException("samples per shard must be >= 1, got " + samplesPerShard);
        }
        if (shardMaxBytes < 10240) {
            throw new IllegalArgumentException("shard size must be at least 10240 bytes, got " + shardMaxBytes);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be >= 1");
        }
        dataset = dataset == null ? defaultDataset(inputKind, input) : dataset;
        split = split == null ? defaultSplit(inputKind, cocoAnnotations) : split;
        codeVersion = codeVersion == null ? "dev" : codeVersion;
    }

    /** A config with defaults for everything but input, masks and output. */
    public static MaskPipelineConfig images(String input, List<MaskSetSpec> masks, String output) {
        return new MaskPipelineConfig(InputKind.IMAGES, input, null, null, null, null, masks, output, 0,
                DEFAULT_SAMPLES_PER_SHARD, DEFAULT_SHARD_MAX_BYTES, DecodeLimits.DEFAULT_MAX_PIXELS, null);
    }

    public static MaskPipelineConfig coco(String imageRoot, String annotations, List<MaskSetSpec> masks,
                                          String output) {
        return new MaskPipelineConfig(InputKind.COCO, imageRoot, null, annotations, null, null, masks, output, 0,
                DEFAULT_SAMPLES_PER_SHARD, DEFAULT_SHARD_MAX_BYTES, DecodeLimits.DEFAULT_MAX_PIXELS, null);
    }

    public static MaskPipelineConfig shards(String input, List<MaskSetSpec> masks, String output) {
        return new MaskPipelineConfig(InputKind.SHARDS, input, null, null, null, null, masks, output, 0,
                DEFAULT_SAMPLES_PER_SHARD, DEFAULT_SHARD_MAX_BYTES, DecodeLimits.DEFAULT_MAX_PIXELS, null);
    }

    public MaskPipelineConfig withBuckets(int n) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, dataset, split, masks, output, n,
                samplesPerShard, shardMaxBytes, maxPixels, codeVersion);
    }

    public MaskPipelineConfig withShardMaxBytes(long n) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, dataset, split, masks, output, buckets,
                samplesPerShard, n, maxPixels, codeVersion);
    }

    public MaskPipelineConfig withSamplesPerShard(int n) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, dataset, split, masks, output, buckets,
                n, shardMaxBytes, maxPixels, codeVersion);
    }

    public MaskPipelineConfig withMaxPixels(long n) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, dataset, split, masks, output, buckets,
                samplesPerShard, shardMaxBytes, n, codeVersion);
    }

    public MaskPipelineConfig withGlob(String g) {
        return new MaskPipelineConfig(inputKind, input, g, cocoAnnotations, dataset, split, masks, output, buckets,
                samplesPerShard, shardMaxBytes, maxPixels, codeVersion);
    }

    public MaskPipelineConfig withDatasetAndSplit(String d, String s) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, d, s, masks, output, buckets,
                samplesPerShard, shardMaxBytes, maxPixels, codeVersion);
    }

    public MaskPipelineConfig withCodeVersion(String v) {
        return new MaskPipelineConfig(inputKind, input, glob, cocoAnnotations, dataset, split, masks, output, buckets,
                samplesPerShard, shardMaxBytes, maxPixels, v);
    }

    /** Whether a key (relative to the input root) is an image input. */
    public boolean matchesImage(String key) {
        if (glob == null) {
            return ImageFormats.isSupportedName(key);
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        return m.matches(Path.of(key));
    }

    /** The manifest's {@code config}: all that decides the output (not the output URI or code version). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("pipeline", "detcon-masks/1");
        ObjectNode in = o.putObject("input");
        in.put("kind", inputKind.name().toLowerCase(java.util.Locale.ROOT));
        in.put("uri", input);
        if (glob != null) {
            in.put("glob", glob);
        }
        if (cocoAnnotations != null) {
            in.put("coco_annotations", cocoAnnotations);
        }
        o.put("dataset", dataset);
        o.put("split", split);
        ArrayNode m = o.putArray("masks");
        for (MaskSetSpec s : masks) {
            ObjectNode so = m.addObject();
            so.put("name", s.name());
            so.put("spec", s.spec());
            so.put("algorithm", s.algorithm());
            so.set("params", s.params());
        }
        o.put("buckets", buckets);
        o.put("shard_max_bytes", shardMaxBytes);
        o.put("max_pixels", maxPixels);
        o.put("label_colour", "rgb");
        return o;
    }

    /**
     * A plain relative path made absolute (workers of a cluster resolve paths against their own directory);
     * URIs with a scheme are returned as they are.
     */
    public static String absolute(String uri) {
        if (uri == null || uri.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return uri;
        }
        return Path.of(uri).toAbsolutePath().normalize().toString();
    }

    /** A size in bytes, optionally with k, m or g (binary multiples): {@code 1g}, {@code 512m}, {@code 10240}. */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            mult = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("shard size must be a number of bytes, optionally with k, m or g: '"
                    + s + "'");
        }
    }

    private static String trimSlash(String s) {
        String t = s.trim();
        while (t.length() > 1 && t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String defaultDataset(InputKind kind, String input) {
        if (kind == InputKind.COCO) {
            return "coco";
        }
        String t = trimSlash(input);
        int slash = t.lastIndexOf('/');
        String last = t.substring(slash + 1);
        return last.isEmpty() ? "images" : last;
    }

    private static String defaultSplit(InputKind kind, String annotations) {
        if (kind == InputKind.COCO && annotations != null) {
            String base = trimSlash(annotations);
            base = base.substring(base.lastIndexOf('/') + 1);
            if (base.endsWith(".json")) {
                base = base.substring(0, base.length() - 5);
            }
            int us = base.lastIndexOf('_');
            return us >= 0 ? base.substring(us + 1) : base;
        }
        return "";
    }
}
