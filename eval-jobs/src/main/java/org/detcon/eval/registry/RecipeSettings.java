package org.detcon.eval.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.detcon.core.config.ConfigFileException;
import org.detcon.core.config.ConfigOverrides;
import org.detcon.core.config.YamlDocument;

/**
 * The settings of an evaluation that runs a recipe file (the fine-tuning jobs, the detector) as a sweep gives them:
 * {@code config} (a recipe file, relative to the current directory; absent: the task's defaults) and any field of
 * that recipe by dotted path ({@code optimizer.lr}) or by section, applied on top of the file. The result is the
 * recipe's YAML tree, its {@code task} set to the job's name; the job then parses it (and returns the whole
 * resolved recipe, so a sweep's evaluation step is keyed by every setting, not by a file name).
 */
public final class RecipeSettings {

    private RecipeSettings() {
    }

    /**
     * @param job      the eval's name (and the recipe's {@code task})
     * @param sections the recipe's top-level mappings that may be given whole
     * @param fields   the dotted paths the recipe reads
     * @return the recipe tree; a bad setting is an {@link IllegalArgumentException} whose message starts with
     *         {@code job.KEY}
     */
    public static ObjectNode tree(String job, JsonNode settings, Set<String> sections, Set<String> fields) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        if (settings != null && !settings.isNull() && !settings.isMissingNode()) {
            if (!settings.isObject()) {
                throw new IllegalArgumentException(job + ": expected a mapping of settings, got " + settings);
            }
            JsonNode file = settings.get("config");
            if (file != null) {
                if (!file.isTextual()) {
                    throw new IllegalArgumentException(job + ".config: expected a file name, got " + file);
                }
                tree = read(job, Path.of(file.asText()));
            }
            for (Map.Entry<String, JsonNode> e : settings.properties()) {
                String key = e.getKey();
                if (key.equals("config")) {
                    continue;
                }
                if (!key.equals("task") && !sections.contains(key) && !fields.contains(key)) {
                    throw new IllegalArgumentException(job + "." + key + ": unknown setting (config, or a field of"
                            + " the recipe: " + fields + ")");
                }
                ConfigOverrides.apply(tree, key, e.getValue());
            }
        }
        JsonNode t = tree.get("task");
        if (t != null && !t.asText().equals(job)) {
            throw new IllegalArgumentException(job + ".task: the config is for " + t.asText() + ", not " + job);
        }
        tree.put("task", job);
        return tree;
    }

    private static ObjectNode read(String job, Path file) {
        try {
            JsonNode root = YamlDocument.read(file).root();
            if (!root.isObject()) {
                throw new IllegalArgumentException(job + ".config: " + file + " is not a mapping of config fields");
            }
            return (ObjectNode) root.deepCopy();
        } catch (ConfigFileException e) {
            throw new IllegalArgumentException(job + ".config: " + e.getMessage(), e);
        }
    }
}
