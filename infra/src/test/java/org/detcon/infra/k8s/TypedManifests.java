package org.detcon.infra.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.FlinkSessionJob;

/**
 * A manifest document as its typed model, strictly: built-in kinds with fabric8's Kubernetes model classes (a field
 * the model does not know lands in an {@code additionalProperties} map, which must stay empty everywhere; a value
 * of the wrong type fails to parse; an unknown kind is an error), the Flink operator's resources with its classes
 * after a check against the operator's own CRD schema (its classes ignore unknown fields).
 */
final class TypedManifests {

    /** Custom resources we deploy: their model class and the operator jar's CRD file. */
    private static final Map<String, Crd> CRDS = Map.of(
            "FlinkDeployment", new Crd(FlinkDeployment.class, "flinkdeployments.flink.apache.org-v1.yml"),
            "FlinkSessionJob", new Crd(FlinkSessionJob.class, "flinksessionjobs.flink.apache.org-v1.yml"));

    private record Crd(Class<?> model, String file) {
    }

    private static final ObjectMapper STRICT = Serialization.jsonMapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TypedManifests() {
    }

    /** The typed model of a document; throws {@link IllegalArgumentException} listing every problem. */
    static Object parse(Manifests.Doc d) {
        List<String> problems = new ArrayList<>();
        Object typed;
        Crd crd = CRDS.get(d.kind());
        try {
            if (crd != null) {
                // the schema describes spec (and status); apiVersion, kind and metadata are the API server's
                for (var it = d.node().fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!List.of("apiVersion", "kind", "metadata", "spec").contains(f)) {
                        problems.add("." + f + ": unknown field");
                    }
                }
                problems.addAll(OpenApiSchema.validate(schema(crd, d.apiVersion()).path("properties").path("spec"),
                        d.node().path("spec")).stream().map(p -> ".spec" + p).toList());
                typed = STRICT.treeToValue(d.node(), crd.model());
                unknownFields(((io.fabric8.kubernetes.api.model.HasMetadata) typed).getMetadata(), ".metadata",
                        problems, new IdentityHashMap<>());
            } else {
                typed = Serialization.unmarshal(d.yaml());
                if (typed instanceof GenericKubernetesResource || !(typed instanceof KubernetesResource)) {
                    problems.add("unknown kind " + d.apiVersion() + "/" + d.kind()
                            + " (no fabric8 model and no CRD known to the tests)");
                } else {
                    unknownFields(typed, "", problems, new IdentityHashMap<>());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(d.where() + ": does not parse: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(d.where() + ": " + String.join("; ", problems));
        }
        return typed;
    }

    private static JsonNode schema(Crd crd, String apiVersion) throws IOException {
        try (InputStream in = FlinkDeployment.class.getResourceAsStream("/META-INF/fabric8/" + crd.file())) {
            if (in == null) {
                throw new IllegalStateException("the operator jar has no " + crd.file());
            }
            JsonNode def = Manifests.YAML.readTree(in);
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            for (JsonNode v : def.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    return v.path("schema").path("openAPIV3Schema");
                }
            }
            throw new IllegalArgumentException("the operator's CRD has no version " + version + " for "
                    + crd.model().getSimpleName());
        }
    }

    /** Every non-empty {@code additionalProperties} in the object graph of a fabric8 model. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            if (field.equals("additionalProperties") && v instanceof Map<?, ?> extra) {
                for (Object k : extra.keySet()) {
                    out.add(path + "." + k + ": unknown field");
                }
            } else {
                unknownFields(v, path + "." + field, out, seen);
            }
        }
    }
}
