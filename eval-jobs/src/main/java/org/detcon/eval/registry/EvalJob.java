package org.detcon.eval.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An evaluation of an exported backbone that sweeps (and later the trainer service) can run by name: it reads its
 * settings strictly, runs on a backbone export and a dataset root, and writes {@code result.json} whose
 * {@code metrics} are what reports show as {@code NAME.KEY} columns.
 */
public interface EvalJob {

    /** The registered name ({@code probe}, ...). */
    String name();

    /** One line for listings. */
    String description();

    /**
     * The settings with every default filled in. An unknown key or a value of the wrong type is an
     * {@link IllegalArgumentException} whose message starts with the key.
     */
    ObjectNode resolve(JsonNode settings);

    /** A metric of {@code result.json}: its key, how reports show it, and which way is better. */
    record Metric(String key, String label, boolean higherIsBetter, boolean fraction) {
    }

    /** The metrics of {@code result.json}'s {@code metrics}, in the order reports show them. */
    List<Metric> metrics();

    /** The metric called {@code key}; an unknown key is an {@link IllegalArgumentException} listing the known. */
    default Metric metric(String key) {
        return metrics().stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(name() + " reports " + metrics().stream().map(Metric::key).toList()
                        + ", not " + key));
    }

    /**
     * Evaluates the export at {@code backboneUri} (a path or URI of a {@code backbone/} directory) on the dataset
     * at {@code dataRoot} with resolved {@code settings}; writes {@code out/result.json} and returns its metrics.
     */
    Map<String, Double> run(String backboneUri, Path dataRoot, ObjectNode settings, Path out) throws IOException;
}
