package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step of a sweep with its content address. {@code key} is the sha256 of its kind and inputs (content hashes of
 * what it reads and of its settings), so the same inputs anywhere give the same step, and its outputs live in
 * {@code OUTPUTS/steps/KIND/KEY16/} (OUTPUTS: the working directory or the sweep's {@code s3://} prefix; the spec's
 * {@code out}). {@code spec} is what the step's work needs ({@link StepWork}); {@code cell}
 * is the cell's index for pretraining and evaluations (-1 for the shared data and mask steps).
 */
public record PlannedStep(StepKind kind, String name, String key, Map<String, String> inputs, ObjectNode spec,
        int cell) {

    /** The step's folder relative to the working directory. */
    public String dir() {
        return dir(kind, key);
    }

    public static String dir(StepKind kind, String key) {
        return "steps/" + kind.label() + "/" + key.substring(0, 16);
    }

    /** The step as JSON (what a child JVM is given). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", kind.name()).put("name", name).put("key", key).put("cell", cell);
        ObjectNode in = o.putObject("inputs");
        inputs.forEach(in::put);
        o.set("spec", spec);
        return o;
    }

    public static PlannedStep fromJson(JsonNode o) {
        Map<String, String> in = new LinkedHashMap<>();
        o.get("inputs").fields().forEachRemaining(e -> in.put(e.getKey(), e.getValue().asText()));
        return new PlannedStep(StepKind.valueOf(o.get("kind").asText()), o.get("name").asText(),
                o.get("key").asText(), in, (ObjectNode) o.get("spec"), o.get("cell").asInt());
    }
}
