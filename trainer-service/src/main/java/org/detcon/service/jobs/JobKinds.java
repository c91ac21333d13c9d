package org.detcon.service.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingRun;

/**
 * The kinds of job a service runs, and the check of a config at submit time, with the project's own parsers:
 * {@code pretrain} is a training config ({@link TrainConfigYaml}; its shards' {@code _manifest.json} is read, its
 * output checked); any registered eval ({@link EvalJobs}) takes {@code {backbone, data, out, settings?}} (the
 * settings resolved by the eval, the backbone export's descriptor read, the data folder present).
 */
public final class JobKinds {

    public static final String PRETRAIN = "pretrain";

    private JobKinds() {
    }

    /** pretrain and the registered evals. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        out.add(PRETRAIN);
        out.addAll(EvalJobs.names());
        return out;
    }

    /** What a valid submission produces: the output location and, once done, the result (backbone or result.json). */
    public record Outputs(String outputUri, String resultUri) {
    }

    /** An eval job's config. */
    public record EvalSpec(EvalJob eval, String backbone, Path data, Path out, ObjectNode settings) {
    }

    /** Checks {@code r}'s config; a bad one is an {@link IllegalArgumentException} with the reason. */
    public static Outputs validate(JobRequest r) {
        if (r.kind().equals(PRETRAIN)) {
            return pretrain(r.config());
        }
        if (!EvalJobs.names().contains(r.kind())) {
            throw new IllegalArgumentException("kind: unknown job kind '" + r.kind() + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        EvalSpec e = eval(r.kind(), r.config());
        return new Outputs(e.out().toUri().toString(), e.out().resolve("result.json").toUri().toString());
    }

    /** The training config of a pretrain job (checked, not verified against its data). */
    public static TrainConfig trainConfig(JsonNode config) {
        try {
            return TrainConfigYaml.parse(config, "config");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Outputs pretrain(JsonNode config) {
        TrainConfig c = trainConfig(config);
        absolute("config.data.uri", c.data().uri());
        absolute("config.output.uri", c.output().uri());
        try {
            TrainingRun run = TrainingRun.builder(c).build();
            run.configHash(); // reads and checks the shards' _manifest.json
            return new Outputs(run.output(), run.output().replaceAll("/+$", "") + "/" + TrainingRun.BACKBONE);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config.data.uri " + c.data().uri() + ": " + e.getMessage(), e);
        }
    }

    /** The parts of an eval job's config; a bad one is an {@link IllegalArgumentException} naming the field. */
    public static EvalSpec eval(String kind, JsonNode config) {
        EvalJob job = EvalJobs.get(kind);
        for (var it = config.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("backbone", "data", "out", "settings").contains(f)) {
                throw new IllegalArgumentException("config." + f + ": unknown field (backbone, data, out, settings)");
            }
        }
        String backbone = text(config, "backbone");
        String data = text(config, "data");
        String out = text(config, "out");
        absolute("config.backbone", backbone);
        if (!Path.of(data).isAbsolute() || !Files.isDirectory(Path.of(data))) {
            throw new IllegalArgumentException("config.data: " + data + " is not a folder (give an absolute path)");
        }
        if (!Path.of(out).isAbsolute()) {
            throw new IllegalArgumentException("config.out: give an absolute local path, got " + out);
        }
        ObjectNode settings = job.resolve(config.get("settings"));
        try (ObjectStore store = ObjectStores.open(backbone)) {
            BackboneExport.descriptor(store);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config.backbone: " + e.getMessage(), e);
        }
        return new EvalSpec(job, backbone, Path.of(data), Path.of(out), settings);
    }

    private static String text(JsonNode config, String field) {
        JsonNode v = config.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("config." + field + ": missing (a path or URI)");
        }
        return v.asText();
    }

    /** A local path must be absolute (the service's working directory is not the submitter's); URIs pass. */
    private static void absolute(String field, String uri) {
        if (uri == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        boolean hasScheme = uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || uri.startsWith("file:");
        if (hasScheme ? uri.startsWith("file:") && !URI.create(uri).isAbsolute() : !Path.of(uri).isAbsolute()) {
            throw new IllegalArgumentException(field + ": give an absolute path or an s3:// URI, got " + uri);
        }
    }
}
