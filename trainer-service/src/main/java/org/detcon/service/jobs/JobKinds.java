package org.detcon.service.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
 * output checked), optionally with {@code export_steps} (also export the backbone at these steps, as a sweep's
 * {@code eval_at_steps} needs) and {@code data_hash} (the data's identity when the submitter knows it: a sweep names
 * its mask step's output by the step's key, so a run's identity is the same wherever it runs); any registered eval ({@link EvalJobs}) takes {@code {backbone, data, out, settings?}}, each location an
 * absolute path or an {@code s3://} URI (the settings resolved by the eval, the backbone export's descriptor read,
 * the data present; the job's JVM stages an object store's data and output through a local folder, {@code
 * EvalRun}).
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
    public record EvalSpec(EvalJob eval, String backbone, String data, String out, ObjectNode settings) {

        /** Where {@code result.json} will be: under {@link #out}, a local folder or a URI. */
        public String result() {
            Path local = ObjectStores.localPath(out);
            return local != null ? local.resolve(RESULT).toUri().toString() : out.replaceAll("/+$", "") + "/" + RESULT;
        }
    }

    /** An eval's result file in its output. */
    public static final String RESULT = "result.json";

    /**
     * Checks {@code r}'s config as it will run on {@code device} (the service's slots' device: {@code cpu},
     * {@code gpu:0}, ...; see {@link #onDevice}); a bad one is an {@link IllegalArgumentException} with the reason.
     */
    public static Outputs validate(JobRequest r, String device) {
        if (r.kind().equals(PRETRAIN)) {
            return pretrain(onDevice(PRETRAIN, r.config(), device));
        }
        if (!EvalJobs.names().contains(r.kind())) {
            throw new IllegalArgumentException("kind: unknown job kind '" + r.kind() + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        EvalSpec e = eval(r.kind(), onDevice(r.kind(), r.config(), device));
        Path local = ObjectStores.localPath(e.out());
        return new Outputs(local != null ? local.toUri().toString() : e.out(), e.result());
    }

    /**
     * The config of a {@code kind} job placed on {@code device}: the slot's device replaces the config's own, as
     * {@code detcon train --device} does (a pretraining's {@code device}; an eval's {@code settings.device} when the
     * eval's settings take one, e.g. fine-tuning; the probe, whose settings have none, is unchanged). The device is
     * not part of a run's identity, so this never changes which run an output holds.
     */
    public static JsonNode onDevice(String kind, JsonNode config, String device) {
        if (!config.isObject()) {
            return config;
        }
        ObjectNode c = config.deepCopy();
        if (kind.equals(PRETRAIN)) {
            c.put("device", device);
        } else if (EvalJobs.names().contains(kind) && takesDevice(EvalJobs.get(kind))) {
            ObjectNode settings = c.get("settings") instanceof ObjectNode o ? o : c.putObject("settings");
            settings.put("device", device);
        }
        return c;
    }

    /** Whether {@code job}'s settings have a {@code device} (its own strict settings reader accepts one). */
    private static boolean takesDevice(EvalJob job) {
        try {
            job.resolve(JsonNodeFactory.instance.objectNode().put("device", "cpu"));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A pretrain job's config: the training config, the extra export steps, the data's identity (null: computed). */
    public record PretrainSpec(TrainConfig config, List<Long> exportSteps, String dataHash) {

        /** The run as the job's JVM runs it. */
        public TrainingRun.Builder run() {
            TrainingRun.Builder b = TrainingRun.builder(config).exportAt(exportSteps);
            return dataHash == null ? b : b.dataHash(dataHash);
        }
    }

    /** The parts of a pretrain job's config (checked, not verified against its data). */
    public static PretrainSpec pretrainSpec(JsonNode config) {
        ObjectNode train = config.deepCopy();
        JsonNode ex = train.remove("export_steps");
        JsonNode hash = train.remove("data_hash");
        List<Long> exports = new ArrayList<>();
        if (ex != null && !ex.isNull()) {
            if (!ex.isArray()) {
                throw new IllegalArgumentException("config.export_steps: expected a list of steps, got " + ex);
            }
            for (JsonNode s : ex) {
                if (!s.isIntegralNumber() || s.asLong() < 0) {
                    throw new IllegalArgumentException("config.export_steps: expected steps >= 0, got " + s);
                }
                exports.add(s.asLong());
            }
        }
        if (hash != null && !hash.isNull() && (!hash.isTextual() || !hash.asText().matches("[0-9a-f]{16,128}"))) {
            throw new IllegalArgumentException("config.data_hash: expected a hex content hash, got " + hash);
        }
        try {
            return new PretrainSpec(TrainConfigYaml.parse(train, "config"), List.copyOf(exports),
                    hash == null || hash.isNull() ? null : hash.asText());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Outputs pretrain(JsonNode config) {
        PretrainSpec spec = pretrainSpec(config);
        TrainConfig c = spec.config();
        absolute("config.data.uri", c.data().uri());
        absolute("config.output.uri", c.output().uri());
        try {
            TrainingRun run = TrainingRun.builder(c).build();
            run.configHash(); // reads and checks the shards' _manifest.json (also when data_hash is given)
            return new Outputs(run.output(), run.output().replaceAll("/+$", "") + "/" + TrainingRun.BACKBONE);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config.data.uri " + c.data().uri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The parts of an eval job's config; a bad one is an {@link IllegalArgumentException} naming the field. The
     * backbone export, the data and the output may each be an absolute local path or a URI ({@code s3://}): the
     * export's descriptor is read, the data must hold something (a local folder, or objects under the URI).
     */
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
        absolute("config.data", data);
        absolute("config.out", out);
        ObjectNode settings = job.resolve(config.get("settings"));
        Path localData = ObjectStores.localPath(data);
        if (localData != null ? !Files.isDirectory(localData) : isEmpty(data)) {
            throw new IllegalArgumentException("config.data: " + data + (localData != null ? " is not a folder"
                    : " holds no objects") + " (give the dataset's folder or URI)");
        }
        try (ObjectStore store = ObjectStores.open(backbone)) {
            BackboneExport.descriptor(store);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config.backbone: " + e.getMessage(), e);
        }
        if (ObjectStores.localPath(out) == null) {
            try (ObjectStore store = ObjectStores.open(out)) {
                store.uri(); // a scheme the job can write to, with its settings
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("config.out: " + e.getMessage(), e);
            }
        }
        return new EvalSpec(job, backbone, data, out, settings);
    }

    /** Whether the object store tree at {@code uri} holds nothing (or cannot be listed: the reason). */
    private static boolean isEmpty(String uri) {
        try (ObjectStore store = ObjectStores.open(uri)) {
            return store.list("").isEmpty();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("config.data: " + uri + ": " + e.getMessage(), e);
        }
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
