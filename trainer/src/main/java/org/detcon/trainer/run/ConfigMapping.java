package org.detcon.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A YAML mapping of a config being read strictly: typed fields with defaults, nested mappings, the fields used so
 * far (an unknown one is an error naming it) and every leaf asked for (collected into {@code leaves}: the dotted
 * paths {@code --set} and sweep axes may name). Errors are {@link ConfigException}s whose message starts with the
 * field's dotted path. The training config ({@link TrainConfigYaml}) and the fine-tuning config read through it.
 */
public final class ConfigMapping {
    private final JsonNode node;
    private final String path;
    private final Set<String> used = new LinkedHashSet<>();
    private final Set<String> leaves;

    /** The mapping {@code node} at {@code path} ("" for the root); leaf paths asked for are added to {@code leaves}. */
    public ConfigMapping(JsonNode node, String path, Set<String> leaves) {
        this.node = node;
        this.path = path;
        this.leaves = leaves;
    }

    /** Whether the mapping is in the file (an absent section reads as empty). */
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

    /** A leaf field: recorded in the leaves. */
    private JsonNode leaf(String field) {
        leaves.add(name(field));
        used.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** A nested mapping (absent: an empty one). */
    public ConfigMapping obj(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return new ConfigMapping(MissingNode.getInstance(), name(field), leaves);
        }
        if (!v.isObject()) {
            throw new ConfigException(name(field) + ": expected a mapping, got " + describe(v));
        }
        return new ConfigMapping(v, name(field), leaves);
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

    /** Fails on a field that was never asked for, listing the known ones. */
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

    /** A list of numbers (a single number is a list of one); absent: {@code def}. */
    public double[] numbers(String field, double[] def) {
        JsonNode v = leaf(field);
        if (v == null) {
            return def == null ? null : def.clone();
        }
        if (v.isNumber()) {
            return new double[] {v.doubleValue()};
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new ConfigException(name(field) + ": expected a list of numbers, got " + describe(v));
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                throw new ConfigException(name(field) + ": expected a list of numbers, got " + describe(v));
            }
            out[i] = e.doubleValue();
        }
        return out;
    }

    /** A list of integers (a single integer is a list of one); absent: {@code def}. */
    public int[] integers(String field, int[] def) {
        double[] d = numbers(field, null);
        if (d == null) {
            return def == null ? null : def.clone();
        }
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
                throw new ConfigException(name(field) + ": expected integers, got " + d[i]);
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    private static String describe(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.getNodeType().toString().toLowerCase(Locale.ROOT)
                + " " + v;
    }
}
