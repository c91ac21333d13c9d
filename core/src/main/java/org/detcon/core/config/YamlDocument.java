package org.detcon.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML config file read as a JSON tree, remembering the line of every key and list item so that a validation
 * error can name the file, the line and the key ({@code sweeps/x.yaml:7: grid.method: ...}). Duplicate keys are
 * errors (YAML would silently keep the last one).
 */
public final class YamlDocument {

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new YAMLMapper(FACTORY);

    private final String source;
    private final JsonNode root;
    private final Map<JsonPointer, Integer> lines;

    private YamlDocument(String source, JsonNode root, Map<JsonPointer, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    /** Reads a file; a missing file or invalid YAML is a {@link ConfigFileException} naming it. */
    public static YamlDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file.toString(), 0, "", "file does not exist");
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static YamlDocument parse(String text, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                    ? p.getLocation().getLineNr() : 0;
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new ConfigFileException(source, line, "", "not valid YAML: " + msg);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigFileException(source, 0, "", "the file is empty");
        }
        return new YamlDocument(source, root, lines(text));
    }

    /** Where each key and list item starts (1-based lines), by JSON pointer. */
    private static Map<JsonPointer, Integer> lines(String text) {
        Map<JsonPointer, Integer> out = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            Deque<Frame> path = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Frame top = path.peekLast();
                if (t == JsonToken.FIELD_NAME) {
                    top.name = p.currentName();
                    out.putIfAbsent(pointer(path), p.currentTokenLocation().getLineNr());
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    path.removeLast();
                    continue;
                }
                if (top != null && top.array) {
                    top.index++;
                    out.putIfAbsent(pointer(path), p.currentTokenLocation().getLineNr());
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    path.addLast(new Frame(t == JsonToken.START_ARRAY));
                }
            }
        } catch (IOException e) {
            // readTree succeeded on the same text: a second parse does not fail
        }
        return out;
    }

    /** One level of the path while parsing: a mapping (the current key) or a list (the current index). */
    private static final class Frame {
        final boolean array;
        String name;
        int index = -1;

        Frame(boolean array) {
            this.array = array;
        }
    }

    private static JsonPointer pointer(Deque<Frame> path) {
        JsonPointer p = JsonPointer.empty();
        for (Frame f : path) {
            if (f.array && f.index >= 0) {
                p = p.appendIndex(f.index);
            } else if (!f.array && f.name != null) {
                p = p.appendProperty(f.name);
            }
        }
        return p;
    }

    public String source() {
        return source;
    }

    /** The tree (do not modify; {@link JsonNode#deepCopy()} it). */
    public JsonNode root() {
        return root;
    }

    /**
     * The line of the key or item at {@code pointer}, or of the nearest enclosing one that has a line (0 when none,
     * e.g. for the root).
     */
    public int line(JsonPointer pointer) {
        for (JsonPointer p = pointer; p != null; p = p.head()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
        }
        return 0;
    }

    /** An error at the key or item {@code pointer}; {@code key} is how the message names it. */
    public ConfigFileException error(JsonPointer pointer, String key, String message) {
        return new ConfigFileException(source, line(pointer), key, message);
    }
}
