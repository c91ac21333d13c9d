package org.detcon.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every Kubernetes manifest under {@code infra/k8s} (each document of each {@code .yaml}/{@code .yml} file), for
 * the manifest tests. A new manifest file is picked up without touching the tests.
 */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One YAML document: where it is and what it says. */
    record Doc(Path file, int index, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String apiVersion() {
            return node.path("apiVersion").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        String namespace() {
            return node.path("metadata").path("namespace").asText("default");
        }

        /** {@code file#index kind/name}, for messages. */
        String where() {
            return ProjectFacts.root().relativize(file) + "#" + index + " " + kind() + "/" + name();
        }

        /** The YAML text of this document alone. */
        String yaml() {
            try {
                return YAML.writeValueAsString(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Doc> cached;

    private Manifests() {
    }

    /** The folder of the manifests. */
    static Path dir() {
        return ProjectFacts.root().resolve("infra/k8s");
    }

    static synchronized List<Doc> all() {
        if (cached == null) {
            List<Doc> docs = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir())) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList()) {
                    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                        int i = 0;
                        while (it.hasNext()) {
                            JsonNode n = it.next();
                            if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
                                docs.add(new Doc(f, i, n));
                            }
                            i++;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cached = List.copyOf(docs);
        }
        return cached;
    }

    static List<Doc> ofKind(String kind) {
        return all().stream().filter(d -> d.kind().equals(kind)).toList();
    }

    static Optional<Doc> find(String kind, String namespace, String name) {
        return all().stream().filter(d -> d.kind().equals(kind) && d.namespace().equals(namespace)
                && d.name().equals(name)).findFirst();
    }

    /** Every object node under {@code node} (itself included) that has a field {@code field}. */
    static List<JsonNode> withField(JsonNode node, String field) {
        List<JsonNode> out = new ArrayList<>();
        collect(node, field, out);
        return out;
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            if (node.has(field)) {
                out.add(node);
            }
            node.forEach(c -> collect(c, field, out));
        } else if (node.isArray()) {
            node.forEach(c -> collect(c, field, out));
        }
    }
}
