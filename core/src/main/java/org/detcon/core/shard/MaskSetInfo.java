package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One mask set of a sample as described in {@code KEY.json}: the algorithm that made it (e.g. "fh", "grid", "gt"),
 * its parameters (a JSON object), how many segments (or masks) it has, and how it is stored.
 * The parameters are copied on construction and on access, so the record stays immutable.
 */
public record MaskSetInfo(String algorithm, ObjectNode params, int segments, MaskFormat format) {

    public MaskSetInfo {
        if (algorithm == null || algorithm.isBlank()) {
            throw new IllegalArgumentException("mask set algorithm must not be empty");
        }
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
        if (segments < 0) {
            throw new IllegalArgumentException("segment count must be >= 0, got " + segments);
        }
        Objects.requireNonNull(format, "format");
    }

    /** Any JSON value as parameters: null means none; anything but an object is refused. */
    public static ObjectNode asParams(JsonNode params) {
        if (params == null || params.isNull()) {
            return null;
        }
        if (!params.isObject()) {
            throw new IllegalArgumentException("mask set params must be a JSON object, got " + params.getNodeType());
        }
        return (ObjectNode) params;
    }

    /** A label-map ({@code .png}) mask set. */
    public static MaskSetInfo labelMap(String algorithm, JsonNode params, int segments) {
        return new MaskSetInfo(algorithm, asParams(params), segments, MaskFormat.LABEL_PNG);
    }

    /** An overlapping ({@code .json} RLE list) mask set. */
    public static MaskSetInfo rle(String algorithm, JsonNode params, int masks) {
        return new MaskSetInfo(algorithm, asParams(params), masks, MaskFormat.RLE_JSON);
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
