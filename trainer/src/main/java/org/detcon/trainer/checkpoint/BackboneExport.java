package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * What evaluation jobs take (DESIGN.md): the online backbone's weights ({@code backbone.npz}, see
 * {@link ParameterFiles}) and {@code backbone.json} (depth, width, input size, feature channels, sha256 of the
 * weights). Written into a temporary directory and renamed into place.
 */
public final class BackboneExport {

    public static final String FORMAT = "detcon-backbone/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackboneExport() {
    }

    /** backbone.json. */
    public record Descriptor(String format, int depth, int width, int inputSize, int featureChannels,
            String method, long step, String sha256) {
    }

    public static Path write(Path dir, Pretrainer p) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(".tmp-" + dir.getFileName() + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            byte[] weights = ParameterFiles.encode(p.online().backbone().block());
            Files.write(tmp.resolve("backbone.npz"), weights);
            ResNetConfig r = p.config().resnet();
            Descriptor d = new Descriptor(FORMAT, r.depth(), r.width(), p.config().imageSize(), r.featureChannels(),
                    p.config().method().name(), p.stepCount(), Checkpoints.sha256(weights));
            Files.write(tmp.resolve("backbone.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
            if (Files.exists(dir)) {
                Checkpoints.deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(tmp)) {
                Checkpoints.deleteTree(tmp);
            }
        }
        return dir;
    }

    public static Descriptor descriptor(Path dir) throws IOException {
        Descriptor d = JSON.readValue(dir.resolve("backbone.json").toFile(), Descriptor.class);
        if (!FORMAT.equals(d.format())) {
            throw new IOException("unknown backbone format " + d.format());
        }
        return d;
    }

    /** Builds the backbone described in {@code dir} on {@code manager} and loads (and verifies) its weights. */
    public static ResNet.Backbone load(Path dir, NDManager manager) throws IOException {
        Descriptor d = descriptor(dir);
        byte[] weights = Files.readAllBytes(dir.resolve("backbone.npz"));
        if (!Checkpoints.sha256(weights).equals(d.sha256())) {
            throw new IOException("backbone weights in " + dir + " do not match backbone.json");
        }
        ResNet.Backbone b = ResNet.build(new ResNetConfig(d.depth(), d.width()));
        b.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, d.inputSize(), d.inputSize()));
        ParameterFiles.decodeInto(weights, b.block(), manager);
        return b;
    }
}
