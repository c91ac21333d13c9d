package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.detcon.trainer.run.TrainConfig;

/**
 * One resolved training config of a sweep: the base with the axis values and the seed applied.
 *
 * @param axes   axis path → value, in the grid's order
 * @param config the resolved YAML tree (data.uri and output.uri set by the sweep)
 * @param hash   the identity: {@link TrainConfig#hash} with the data named by its content (see {@link Planner})
 */
public record Cell(int index, LinkedHashMap<String, JsonNode> axes, long seed, ObjectNode config, TrainConfig train,
        String hash) {

    /** The short id shown in listings (the hash's first 12 hex digits). */
    public String id() {
        return hash.substring(0, 12);
    }

    /** {@code method=detcon_b optimizer.base_lr=1.0 seed=0}. */
    public String label() {
        return label(axes, seed);
    }

    static String label(Map<String, JsonNode> axes, long seed) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : axes.entrySet()) {
            sb.append(e.getKey()).append('=').append(text(e.getValue())).append(' ');
        }
        return sb.append("seed=").append(seed).toString();
    }

    /** An axis value as text ({@code detcon_b}, {@code 1.0}, {@code {depth: 50}} as JSON). */
    public static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }
}
