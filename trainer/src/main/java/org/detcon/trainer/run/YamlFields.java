package org.detcon.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A YAML mapping being read into a config record, with its dotted path for messages, the fields used so far (for
 * {@link #rejectUnknown()}) and the leaf fields read (collected into {@code leaves}: the dotted paths that
 * {@code --set} overrides and sweep axes may name). Typed getters with defaults; every error is one
 * {@link ConfigException} line naming the field. Shared by every recipe reader ({@link TrainConfigYaml}, the
 * fine-tuning recipes).
 */
public final class YamlFields {

    private final JsonNode node;
    private final String path;
    private final Set<String> used = new LinkedHashSet<>();
    private final Set<String> leaves;

    /** The mapping {@code node} (a missing node: an absent section) at {@code path} ("" for the root). */
    public YamlFields(JsonNode node, String path, Set<String> leaves) {
        this.node = node;
        this.path = path;
        this.leaves = leaves;
    }

    /** The root mapping of a config tree; a one-line error naming {@code what} when it is not a mapping. */
    public static YamlFields root(JsonNode root, String what, Set<String> leaves) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(what + ": expected a YAML mapping of fields");
        }
        return new YamlFields(root, "", leaves);
    }

    public boolean present() {
        return !node.isMissingNode();
    }

    private String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode get(String field) {
        used.add(field);
        return node.get(field) == null || node.get(field).isNull() ? null : node.get(field);
    }

    /** A leaf field: recorded in {@code leaves}. */
    private JsonNode leaf(String field) {
        leaves.add(name(field));
        used.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public YamlFields obj(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return new YamlFields(MissingNode.getInstance(), name(field), leaves);
        }
        if (!v.isObject()) {
            throw new ConfigException(name(field) + ": expected a mapping, got " + describe(v));
        }
        return new YamlFields(v, name(field), leaves);
    }

    public String text(String field, String def, boolean required) {
        JsonNode v = leaf(field);
        if (v == null) {
            if (required) {
                throw new ConfigException(name(field) + ": is required");
            }
            return def;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(name(field) + ": expected a non-empty string, got " + describe(v));
        }
        return v.asText();
    }

    public long longInt(String field, long def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 1e15) {
            return (long) v.doubleValue(); // 1e6 written as a float
        }
        throw new ConfigException(name(field) + ": expected an integer, got " + describe(v));
    }

    public int integer(String field, int def) {
        long v = longInt(field, def);
        if (v != (int) v) {
            throw new ConfigException(name(field) + ": out of range: " + v);
        }
        return (int) v;
    }

    public double number(String field, double def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new ConfigException(name(field) + ": expected a number, got " + describe(v));
        }
        return v.doubleValue();
    }

    public boolean bool(String field, boolean def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(name(field) + ": expected true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    /** A non-empty list of numbers ({@code def} when absent). */
    public List<Double> numbers(String field, List<Double> def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new ConfigException(name(field) + ": expected a list of numbers, got " + describe(v));
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                throw new ConfigException(name(field) + ": expected a list of numbers, got " + describe(v));
            }
            out.add(e.doubleValue());
        }
        return out;
    }

    /** A list of integers ({@code def} when absent; {@code []} is allowed). */
    public List<Long> integers(String field, List<Long> def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def;
        }
        if (!v.isArray()) {
            throw new ConfigException(name(field) + ": expected a list of integers, got " + describe(v));
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isNumber() || e.doubleValue() != Math.rint(e.doubleValue()) || Math.abs(e.doubleValue()) >= 1e15) {
                throw new ConfigException(name(field) + ": expected a list of integers, got " + describe(v));
            }
            out.add((long) e.doubleValue());
        }
        return out;
    }

    /** Throws naming the first field of the mapping that no getter asked for. */
    public void rejectUnknown() {
        if (!present()) {
            return;
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!used.contains(f.getKey())) {
                throw new ConfigException(name(f.getKey()) + ": unknown field (known here: " + used + ")");
            }
        }
    }

    private static String describe(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.getNodeType().toString().toLowerCase(Locale.ROOT)
                + " " + v;
    }
}
