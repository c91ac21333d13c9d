package org.detcon.core.shard;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** The package's JSON reading helpers: strict parsing, typed field access with messages naming the field. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    static JsonNode parse(byte[] bytes, String what) throws IOException {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new IOException(what + " is empty");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode field(JsonNode obj, String name, String what) throws IOException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw new IOException(what + ": missing field \"" + name + "\"");
        }
        return n;
    }

    static String text(JsonNode obj, String name, String what) throws IOException {
        JsonNode n = field(obj, name, what);
        if (!n.isTextual()) {
            throw new IOException(what + ": field \"" + name + "\" must be a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    static long integer(JsonNode obj, String name, String what) throws IOException {
        JsonNode n = field(obj, name, what);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IOException(what + ": field \"" + name + "\" must be an integer, got " + n);
        }
        return n.longValue();
    }

    static int int32(JsonNode obj, String name, String what) throws IOException {
        long v = integer(obj, name, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IOException(what + ": field \"" + name + "\" out of range: " + v);
        }
        return (int) v;
    }
}
