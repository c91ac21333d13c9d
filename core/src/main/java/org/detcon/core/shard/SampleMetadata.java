package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.hash.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code KEY.json} of a sample. As JSON (canonical: sorted keys, no whitespace):
 * <pre>{"dataset":"coco","height":480,"image":"jpg",
 *  "masks":{"fh-s1000":{"algorithm":"fh","format":"png","params":{"scale":1000},"segments":42}},
 *  "source":"s3://bucket/train2017/000000000009.jpg","split":"train2017","width":640}</pre>
 * {@code image} is the extension of the image member ({@code jpg} or {@code png}); each entry of {@code masks}
 * names a member {@code KEY.<set>.<format>}. So {@code KEY.json} lists every other file of its sample.
 */
public record SampleMetadata(int width, int height, String source, String dataset, String split,
                             String imageFormat, SortedMap<String, MaskSetInfo> masks) {

    public SampleMetadata {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        if (!"jpg".equals(imageFormat) && !"png".equals(imageFormat)) {
            throw new IllegalArgumentException("image format must be jpg or png, got '" + imageFormat + "'");
        }
        TreeMap<String, MaskSetInfo> copy = new TreeMap<>();
        for (Map.Entry<String, MaskSetInfo> e : masks.entrySet()) {
            copy.put(ShardKeys.checkMaskSet(e.getKey()), Objects.requireNonNull(e.getValue(), e.getKey()));
        }
        masks = Collections.unmodifiableSortedMap(copy);
    }

    /** This metadata with one more mask set. */
    public SampleMetadata withMaskSet(String name, MaskSetInfo info) {
        TreeMap<String, MaskSetInfo> m = new TreeMap<>(masks);
        if (m.put(name, info) != null) {
            throw new IllegalArgumentException("mask set '" + name + "' already present");
        }
        return new SampleMetadata(width, height, source, dataset, split, imageFormat, m);
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("width", width);
        o.put("height", height);
        o.put("source", source);
        o.put("dataset", dataset);
        o.put("split", split);
        o.put("image", imageFormat);
        ObjectNode m = o.putObject("masks");
        for (Map.Entry<String, MaskSetInfo> e : masks.entrySet()) {
            MaskSetInfo i = e.getValue();
            ObjectNode mo = m.putObject(e.getKey());
            mo.put("algorithm", i.algorithm());
            mo.set("params", i.params());
            mo.put("segments", i.segments());
            mo.put("format", i.format().extension());
        }
        return o;
    }

    /** The bytes of {@code KEY.json}: canonical JSON, UTF-8, so equal metadata gives equal bytes. */
    public byte[] toBytes() {
        return CanonicalJson.write(toJson()).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code KEY.json}; {@code what} names it in errors. Unknown top-level fields are ignored. */
    public static SampleMetadata fromBytes(byte[] json, String what) throws IOException {
        JsonNode o = Json.parse(json, what);
        if (!o.isObject()) {
            throw new IOException(what + ": expected a JSON object");
        }
        JsonNode m = Json.field(o, "masks", what);
        if (!m.isObject()) {
            throw new IOException(what + ": \"masks\" must be an object");
        }
        TreeMap<String, MaskSetInfo> masks = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            String w = what + " mask set '" + e.getKey() + "'";
            JsonNode mo = e.getValue();
            if (!mo.isObject()) {
                throw new IOException(w + ": expected an object");
            }
            try {
                masks.put(e.getKey(), new MaskSetInfo(Json.text(mo, "algorithm", w), MaskSetInfo.asParams(mo.get("params")),
                        Json.int32(mo, "segments", w), MaskFormat.fromExtension(Json.text(mo, "format", w))));
            } catch (IllegalArgumentException ex) {
                throw new IOException(w + ": " + ex.getMessage(), ex);
            }
        }
        try {
            return new SampleMetadata(Json.int32(o, "width", what), Json.int32(o, "height", what),
                    Json.text(o, "source", what), Json.text(o, "dataset", what), Json.text(o, "split", what),
                    Json.text(o, "image", what), masks);
        } catch (IllegalArgumentException ex) {
            throw new IOException(what + ": " + ex.getMessage(), ex);
        }
    }
}
