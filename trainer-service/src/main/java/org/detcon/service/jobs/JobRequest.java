package org.detcon.service.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.YamlDocument;
import org.detcon.core.hash.ContentHash;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A submission: {@code {kind, config, submission_id?, priority?, max_restarts?, labels?}}; {@code config} is a
 * mapping or a YAML/JSON text of one. Parsing checks the envelope only; {@link JobKinds#validate} checks the config.
 */
public record JobRequest(String kind, JsonNode config, String submissionId, int priority, int maxRestarts,
        List<String> labels) {

    public static final int DEFAULT_MAX_RESTARTS = 3;

    /** The request in {@code body}; a malformed one is an {@link IllegalArgumentException} naming the field. */
    public static JobRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {kind, config, submission_id?, priority?,"
                    + " max_restarts?, labels?}");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("kind", "config", "submission_id", "priority", "max_restarts", "labels").contains(f)) {
                throw new IllegalArgumentException(f + ": unknown field (kind, config, submission_id, priority,"
                        + " max_restarts, labels)");
            }
        }
        JsonNode kind = body.get("kind");
        if (kind == null || !kind.isTextual()) {
            throw new IllegalArgumentException("kind: give pretrain or a registered eval (" + JobKinds.names() + ")");
        }
        JsonNode config = body.get("config");
        if (config == null || config.isNull()) {
            throw new IllegalArgumentException("config: missing (a mapping, or its YAML or JSON text)");
        }
        if (config.isTextual()) {
            try {
                config = YamlDocument.parse(config.asText(), "config").root();
            } catch (ConfigFileException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (!config.isObject()) {
            throw new IllegalArgumentException("config: expected a mapping of config fields");
        }
        JsonNode sid = body.get("submission_id");
        if (sid != null && !sid.isNull() && (!sid.isTextual() || sid.asText().isBlank() || sid.asText().length() > 200)) {
            throw new IllegalArgumentException("submission_id: expected a non-empty string of at most 200 characters");
        }
        int priority = integer(body, "priority", 0, -1000, 1000);
        int maxRestarts = integer(body, "max_restarts", DEFAULT_MAX_RESTARTS, 0, 100);
        List<String> labels = new ArrayList<>();
        JsonNode l = body.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isArray()) {
                throw new IllegalArgumentException("labels: expected a list of strings");
            }
            for (JsonNode x : l) {
                if (!x.isTextual() || x.asText().isBlank() || x.asText().length() > 100) {
                    throw new IllegalArgumentException("labels: expected non-empty strings of at most 100 characters,"
                            + " got " + x);
                }
                labels.add(x.asText());
            }
        }
        return new JobRequest(kind.asText(), config, sid == null || sid.isNull() ? null : sid.asText(), priority,
                maxRestarts, List.copyOf(labels));
    }

    private static int integer(JsonNode body, String field, int def, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(field + ": expected an integer in " + min + ".." + max + ", got " + v);
        }
        return v.asInt();
    }

    /** sha256 of the kind and the whole config (output location included): what makes two submissions the same. */
    public String configHash() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", kind);
        o.set("config", config);
        return ContentHash.configHash(o);
    }
}
