package org.detcon.orchestration.nightly;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a nightly run measured ({@code DIR/observation.json}), and the body of a baseline: the platform, the mask
 * shards' content (a digest of each shard's image and label-map members, not of the metadata, which names source
 * paths), and per cell (keyed by its axis values and seed) the loss at every logged step, each evaluation's metrics
 * at each evaluated step ({@code probe.miou@100}), the sha256 of each exported backbone, throughput and peak memory.
 */
public record Observation(String format, String sweep, String sweepFile, String sweepSha256, String codeVersion,
        Fingerprint fingerprint, String started, double seconds, String workdir, long runId, String report,
        List<String> failures, Data data, Map<String, CellObservation> cells) {

    public static final String FORMAT = "detcon-nightly-observation/1";

    /** The mask step's key and each shard's member digest (empty without a mask step). */
    public record Data(String masksKey, Map<String, String> shards) {
    }

    /**
     * One cell: its config hash and state, the loss as {step, loss} pairs, metrics by {@code EVAL.KEY@STEP}, the
     * backbones' sha256 by step, mean images per second and peak RSS (MiB) of its pretraining.
     */
    public record CellObservation(String configHash, String status, String error, List<double[]> loss,
            Map<String, Double> metrics, Map<String, String> backbones, double imgPerSec, double peakRssMib) {
    }

    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static Observation read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist: not a nightly run's directory");
        }
        Observation o = JSON.readValue(file.toFile(), Observation.class);
        if (!FORMAT.equals(o.format())) {
            throw new IOException(file + ": unknown format " + o.format() + ", expected " + FORMAT);
        }
        return o;
    }
}
