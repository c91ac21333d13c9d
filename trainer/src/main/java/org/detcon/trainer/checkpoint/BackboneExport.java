package org.detcon.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * What evaluation jobs take (DESIGN.md): the online backbone's weights ({@code backbone.npz}, see
 * {@link ParameterFiles}) and {@code backbone.json} (depth, width, input size, feature channels, sha256 of the
 * weights), in an object store rooted at the export's "directory" (a local path or an {@code s3://} prefix). The old
 * descriptor is removed first and the new one written last, after the weights it hashes: a reader sees the
 * complete export or none, and a half-replaced one fails its sha256 check.
 */
public final class BackboneExport {

    public static final String FORMAT = "detcon-backbone/1";
    public static final String WEIGHTS = "backbone.npz";
    public static final String DESCRIPTOR = "backbone.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackboneExport() {
    }

    /** backbone.json. */
    public record Descriptor(String format, int depth, int width, int inputSize, int featureChannels,
            String method, long step, String sha256) {
    }

    /** Exports the online backbone of {@code p} into {@code store}. */
    public static Descriptor write(ObjectStore store, Pretrainer p) throws IOException {
        store.delete(DESCRIPTOR);
        byte[] weights = ParameterFiles.encode(p.online().backbone().block());
        store.write(WEIGHTS, weights);
        ResNetConfig r = p.config().resnet();
        Descriptor d = new Descriptor(FORMAT, r.depth(), r.width(), p.config().imageSize(), r.featureChannels(),
                p.config().method().name(), p.stepCount(), Checkpoints.sha256(weights));
        store.write(DESCRIPTOR, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
        return d;
    }

    public static Descriptor descriptor(ObjectStore store) throws IOException {
        if (!store.exists(DESCRIPTOR)) {
            throw new IOException(store.uri(DESCRIPTOR) + " does not exist: " + store.uri()
                    + " is not a backbone export (the trainer writes one into backbone/ when a run completes)");
        }
        Descriptor d = JSON.readValue(store.readAllBytes(DESCRIPTOR), Descriptor.class);
        if (!FORMAT.equals(d.format())) {
            throw new IOException(store.uri(DESCRIPTOR) + ": unknown backbone format " + d.format() + ", expected "
                    + FORMAT);
        }
        return d;
    }

    /** Builds the backbone described in {@code store} on {@code manager} and loads (and verifies) its weights. */
    public static ResNet.Backbone load(ObjectStore store, NDManager manager) throws IOException {
        Descriptor d = descriptor(store);
        byte[] weights = weights(store, d);
        ResNet.Backbone b = ResNet.build(new ResNetConfig(d.depth(), d.width()));
        b.block().initialize(manager, DataType.FLOAT32, new Shape(1, 3, d.inputSize(), d.inputSize()));
        ParameterFiles.decodeInto(weights, b.block(), manager);
        return b;
    }

    /**
     * The weights ({@code backbone.npz}, for {@link ParameterFiles#decodeInto}) of the export described by
     * {@code d}, checked against its sha256.
     */
    public static byte[] weights(ObjectStore store, Descriptor d) throws IOException {
        byte[] weights = store.readAllBytes(WEIGHTS);
        if (!Checkpoints.sha256(weights).equals(d.sha256())) {
            throw new IOException("backbone weights " + store.uri(WEIGHTS) + " do not match " + DESCRIPTOR
                    + " (sha256 differs): the export is damaged or was being replaced; export it again");
        }
        return weights;
    }
}
