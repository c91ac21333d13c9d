package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.hash.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One mask of an overlapping mask set ({@code KEY.<set>.json}): a COCO RLE {@code {"size":[h,w],"counts":"..."}}
 * with the compressed counts string kept opaque here, plus optional per-mask fields (category_id, score, ...).
 * The extra fields are copied on construction and on access.
 */
public record RleMask(int height, int width, String counts, ObjectNode extra) {

    public RleMask {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("RLE size must be positive, got [" + height + "," + width + "]");
        }
        Objects.requireNonNull(counts, "counts");
        extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
        if (extra.has("size") || extra.has("counts")) {
            throw new IllegalArgumentException("extra fields must not redefine \"size\" or \"counts\"");
        }
    }

    public RleMask(int height, int width, String counts) {
        this(height, width, counts, null);
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    public ObjectNode toJson() {
        ObjectNode o = extra.deepCopy();
        ArrayNode size = o.putArray("size");
        size.add(height).add(width);
        o.put("counts", counts);
        return o;
    }

    /** The bytes of a {@code KEY.<set>.json} file: a canonical JSON list of the masks. */
    public static byte[] toBytes(List<RleMask> masks) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (RleMask m : masks) {
            a.add(m.toJson());
        }
        return CanonicalJson.write(a).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a {@code KEY.<set>.json} file; {@code what} names it in errors. */
    public static List<RleMask> fromBytes(byte[] json, String what) throws IOException {
        JsonNode a = Json.parse(json, what);
        if (!a.isArray()) {
            throw new IOException(what + ": expected a JSON list of RLE masks");
        }
        List<RleMask> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode o = a.get(i);
            String w = what + " mask " + i;
            if (!o.isObject()) {
                throw new IOException(w + ": expected an object");
            }
            JsonNode size = Json.field(o, "size", w);
            if (!size.isArray() || size.size() != 2 || !size.get(0).canConvertToInt() || !size.get(1).canConvertToInt()
                    || !size.get(0).isIntegralNumber() || !size.get(1).isIntegralNumber()) {
                throw new IOException(w + ": \"size\" must be [height, width], got " + size);
            }
            String counts = Json.text(o, "counts", w);
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (!e.getKey().equals("size") && !e.getKey().equals("counts")) {
                    extra.set(e.getKey(), e.getValue());
                }
            }
            try {
                out.add(new RleMask(size.get(0).intValue(), size.get(1).intValue(), counts, extra));
            } catch (IllegalArgumentException ex) {
                throw new IOException(w + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }
}
