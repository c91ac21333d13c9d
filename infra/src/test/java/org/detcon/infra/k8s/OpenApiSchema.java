package org.detcon.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a manifest against a CRD's structural OpenAPI v3 schema the way the API server reads it, except that a
 * field the schema does not know is an error here (the API server would silently drop it): types, properties,
 * additionalProperties (maps), items, enum, required, anyOf and Kubernetes' int-or-string and
 * preserve-unknown-fields markers.
 */
final class OpenApiSchema {

    private OpenApiSchema() {
    }

    /** The problems, each {@code path: what}; empty when the value fits the schema. */
    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                out.add(path + ": null where a value is expected");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                out.add(path + ": expected an integer or a string, got " + value.getNodeType());
            }
            return;
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode alt : schema.get("anyOf")) {
                List<String> p = new ArrayList<>();
                check(alt, value, path, p);
                any |= p.isEmpty();
            }
            if (!any) {
                out.add(path + ": matches none of the schema's alternatives");
                return;
            }
        }
        if (schema.has("enum")) {
            boolean in = false;
            for (JsonNode e : schema.get("enum")) {
                in |= e.equals(value);
            }
            if (!in) {
                out.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(schema, value, path, out);
            case "array" -> {
                if (!value.isArray()) {
                    out.add(path + ": expected an array, got " + value.getNodeType());
                } else if (schema.has("items")) {
                    for (int i = 0; i < value.size(); i++) {
                        check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
                    }
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    out.add(path + ": expected a string, got " + value.getNodeType() + " " + value);
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    out.add(path + ": expected an integer, got " + value.getNodeType() + " " + value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    out.add(path + ": expected a number, got " + value.getNodeType() + " " + value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(path + ": expected true or false, got " + value.getNodeType() + " " + value);
                }
            }
            default -> {
                // no type: anything (e.g. preserve-unknown-fields)
            }
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (!value.isObject()) {
            out.add(path + ": expected an object, got " + value.getNodeType() + " " + value);
            return;
        }
        JsonNode props = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (JsonNode req : schema.path("required")) {
            if (!value.has(req.asText())) {
                out.add(path + ": missing required field " + req.asText());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = path + "." + f.getKey();
            if (props.has(f.getKey())) {
                check(props.get(f.getKey()), f.getValue(), p, out);
            } else if (additional != null && additional.isObject()) {
                check(additional, f.getValue(), p, out);
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                out.add(p + ": unknown field");
            }
        }
    }
}
