package org.detcon.eval.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict reading of an eval's settings mapping against its defaults: every key must be a default's key and of the
 * same kind (integer, number, text, boolean); the result has every key.
 */
public final class Settings {

    private Settings() {
    }

    /** {@code defaults} overlaid with {@code given} (null or empty: the defaults). */
    public static ObjectNode resolve(String eval, ObjectNode defaults, JsonNode given) {
        ObjectNode out = defaults.deepCopy();
        if (given == null || given.isNull() || given.isMissingNode()) {
            return out;
        }
        if (!given.isObject()) {
            throw new IllegalArgumentException(eval + ": expected a mapping of settings, got " + given);
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fields.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            JsonNode def = defaults.get(e.getKey());
            String key = eval + "." + e.getKey();
            if (def == null) {
                throw new IllegalArgumentException(key + ": unknown setting (known: " + names(defaults) + ")");
            }
            JsonNode v = e.getValue();
            boolean ok = def.isIntegralNumber() ? v.isIntegralNumber()
                    : def.isNumber() ? v.isNumber()
                    : def.isBoolean() ? v.isBoolean()
                    : def.isTextual() || def.isNull() ? v.isTextual() || v.isNull() : v.getNodeType() == def.getNodeType();
            if (!ok) {
                throw new IllegalArgumentException(key + ": expected " + kind(def) + ", got " + v);
            }
            out.set(e.getKey(), def.isNumber() && !def.isIntegralNumber()
                    ? JsonNodeFactory.instance.numberNode(v.doubleValue()) : v);
        }
        return out;
    }

    private static String kind(JsonNode def) {
        return def.isIntegralNumber() ? "an integer" : def.isNumber() ? "a number" : def.isBoolean() ? "true or false"
                : "a string";
    }

    private static String names(ObjectNode defaults) {
        StringBuilder sb = new StringBuilder();
        defaults.fieldNames().forEachRemaining(n -> sb.append(sb.length() == 0 ? "" : ", ").append(n));
        return sb.toString();
    }
}
