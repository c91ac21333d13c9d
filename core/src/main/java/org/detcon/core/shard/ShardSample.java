package org.detcon.core.shard;

import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One sample of a shard: its key, its metadata ({@code KEY.json}), the original encoded image bytes
 * ({@code KEY.jpg|png}) and the bytes of each mask set file ({@code KEY.<set>.png|json}), keyed by mask-set name.
 * The mask sets must be exactly those the metadata lists; label-map PNG headers are checked against the image
 * size. Byte arrays are owned by the record (not copied): callers must not mutate them after construction.
 * Equality compares contents.
 */
public record ShardSample(String key, SampleMetadata metadata, byte[] image, SortedMap<String, byte[]> maskFiles) {

    public ShardSample {
        ShardKeys.checkKey(key);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(image, "image");
        if (image.length == 0) {
            throw new IllegalArgumentException("sample " + key + ": image is empty");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>(maskFiles);
        if (!copy.keySet().equals(metadata.masks().keySet())) {
            throw new IllegalArgumentException("sample " + key + ": mask files " + copy.keySet()
                    + " do not match the mask sets in its metadata " + metadata.masks().keySet());
        }
        for (Map.Entry<String, MaskSetInfo> e : metadata.masks().entrySet()) {
            byte[] bytes = Objects.requireNonNull(copy.get(e.getKey()), e.getKey());
            if (e.getValue().format() == MaskFormat.LABEL_PNG) {
                LabelMapPng.Header h;
                try {
                    h = LabelMapPng.header(bytes);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("sample " + key + ", mask set " + e.getKey() + ": "
                            + ex.getMessage(), ex);
                }
                if (h.width() != metadata.width() || h.height() != metadata.height()) {
                    throw new IllegalArgumentException("sample " + key + ", mask set " + e.getKey() + ": label map is "
                            + h.width() + "x" + h.height() + " but the image is " + metadata.width() + "x"
                            + metadata.height());
                }
            }
        }
        maskFiles = Collections.unmodifiableSortedMap(copy);
    }

    /** Builds a sample, encoding label maps and RLE lists and filling in the metadata's mask sets. */
    public static Builder builder(String key, SampleMetadata metadata, byte[] image) {
        return new Builder(key, metadata, image);
    }

    /** Tar member name of the image. */
    public String imageName() {
        return key + "." + metadata.imageFormat();
    }

    /** Tar member name of a mask set. */
    public String maskName(String maskSet) {
        MaskSetInfo info = metadata.masks().get(maskSet);
        if (info == null) {
            throw new IllegalArgumentException("sample " + key + " has no mask set '" + maskSet + "'");
        }
        return key + "." + maskSet + "." + info.format().extension();
    }

    /** Tar member name of the metadata. */
    public String metadataName() {
        return key + ".json";
    }

    /** Decodes a label-map mask set. */
    public LabelMap labelMap(String maskSet) throws IOException {
        requireFormat(maskSet, MaskFormat.LABEL_PNG);
        return LabelMapPng.decode(maskFiles.get(maskSet));
    }

    /** Parses an RLE mask set. */
    public List<RleMask> rleMasks(String maskSet) throws IOException {
        requireFormat(maskSet, MaskFormat.RLE_JSON);
        return RleMask.fromBytes(maskFiles.get(maskSet), maskName(maskSet));
    }

    private void requireFormat(String maskSet, MaskFormat f) {
        MaskSetInfo info = metadata.masks().get(maskSet);
        if (info == null) {
            throw new IllegalArgumentException("sample " + key + " has no mask set '" + maskSet + "'");
        }
        if (info.format() != f) {
            throw new IllegalArgumentException("sample " + key + ", mask set " + maskSet + " is stored as "
                    + info.format() + ", not " + f);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShardSample s)) {
            return false;
        }
        if (!key.equals(s.key) || !metadata.equals(s.metadata) || !Arrays.equals(image, s.image)
                || !maskFiles.keySet().equals(s.maskFiles.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : maskFiles.entrySet()) {
            if (!Arrays.equals(e.getValue(), s.maskFiles.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(key, metadata, Arrays.hashCode(image));
        for (Map.Entry<String, byte[]> e : maskFiles.entrySet()) {
            h = 31 * h + e.getKey().hashCode() * 17 + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return "ShardSample[" + key + ", " + metadata.width() + "x" + metadata.height() + " " + metadata.imageFormat()
                + " " + image.length + " B, masks " + maskFiles.keySet() + "]";
    }

    /** Accumulates mask sets for {@link #builder}. */
    public static final class Builder {
        private final String key;
        private SampleMetadata metadata;
        private final byte[] image;
        private final TreeMap<String, byte[]> files = new TreeMap<>();

        private Builder(String key, SampleMetadata metadata, byte[] image) {
            this.key = key;
            this.metadata = metadata;
            this.image = image;
        }

        /** Adds a label-map mask set; its segment count is computed from the map. */
        public Builder labelMap(String name, String algorithm, com.fasterxml.jackson.databind.JsonNode params,
                                LabelMap map) {
            metadata = metadata.withMaskSet(name, MaskSetInfo.labelMap(algorithm, params, map.segmentCount()));
            files.put(name, LabelMapPng.encode(map));
            return this;
        }

        /** Adds an overlapping (RLE) mask set; its segment count is the number of masks. */
        public Builder rleMasks(String name, String algorithm, com.fasterxml.jackson.databind.JsonNode params,
                                List<RleMask> masks) {
            for (RleMask m : masks) {
                if (m.height() != metadata.height() || m.width() != metadata.width()) {
                    throw new IllegalArgumentException("sample " + key + ", mask set " + name + ": RLE size ["
                            + m.height() + "," + m.width() + "] differs from the image " + metadata.height() + "x"
                            + metadata.width());
                }
            }
            metadata = metadata.withMaskSet(name, MaskSetInfo.rle(algorithm, params, masks.size()));
            files.put(name, RleMask.toBytes(masks));
            return this;
        }

        public ShardSample build() {
            return new ShardSample(key, metadata, image, files);
        }
    }
}
