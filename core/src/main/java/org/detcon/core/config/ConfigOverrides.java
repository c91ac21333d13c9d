package org.detcon.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one override syntax of every command and of sweep axes: {@code key.path=value}, a dotted path into a YAML
 * config and a value written as YAML ({@code 0.3}, {@code true}, {@code detcon_b}, {@code [0, 1]},
 * {@code {depth: 50}}). Applying one replaces the value at the path, creating the mappings on the way.
 */
public final class ConfigOverrides {

    private static final ObjectMapper YAML = new YAMLMapper();

    /** One {@code key.path=value}. */
    public record Override(String path, JsonNode value) {
        @java.lang.Override
        public String toString() {
            return path + "=" + value;
        }
    }

    private ConfigOverrides() {
    }

    /** Parses {@code key.path=value}; a malformed one is an {@link IllegalArgumentException} saying what to write. */
    public static Override parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set " + arg + ": expected key.path=value (e.g. optimizer.base_lr=0.3)");
        }
        String path = arg.substring(0, eq).trim();
        checkPath(path, "--set " + arg);
        String text = arg.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = text.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("--set " + arg + ": the value is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (value == null || value.isMissingNode()) {
            value = YAML.getNodeFactory().nullNode();
        }
        return new Override(path, value);
    }

    public static List<Override> parseAll(List<String> args) {
        List<Override> out = new ArrayList<>();
        for (String a : args == null ? List.<String>of() : args) {
            out.add(parse(a));
        }
        return out;
    }

    /** The segments of a dotted path; empty segments are an error naming {@code what}. */
    public static String[] checkPath(String path, String what) {
        String[] parts = path.split("\\.", -1);
        for (String p : parts) {
            if (p.isBlank()) {
                throw new IllegalArgumentException(what + ": '" + path + "' is not a dotted key path (a.b.c)");
            }
        }
        return parts;
    }

    /**
     * Sets {@code value} at the dotted {@code path} of {@code root}, creating missing mappings; a path through a
     * value that is not a mapping is an {@link IllegalArgumentException}.
     */
    public static void apply(ObjectNode root, String path, JsonNode value) {
        String[] parts = checkPath(path, path);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            if (next == null || next.isNull()) {
                next = node.putObject(parts[i]);
            } else if (!next.isObject()) {
                throw new IllegalArgumentException(path + ": " + String.join(".", java.util.Arrays.copyOf(parts,
                        i + 1)) + " is " + next + ", not a mapping");
            }
            node = (ObjectNode) next;
        }
        node.set(parts[parts.length - 1], value.deepCopy());
    }

    public static void applyAll(ObjectNode root, List<Override> overrides) {
        for (Override o : overrides) {
            apply(root, o.path(), o.value());
        }
    }

    /** The value at a dotted path, or null when absent. */
    public static JsonNode get(JsonNode root, String path) {
        JsonNode n = root;
        for (String p : checkPath(path, path)) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n;
    }
}
