package org.detcon.eval.probe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.List;
import org.detcon.core.image.Image8;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.augment.ColorOps;
import org.detcon.trainer.augment.CropWindow;
import org.detcon.trainer.augment.Resize;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNet;
import org.detcon.trainer.model.ResNetConfig;

/**
 * Frozen features of an exported backbone ({@code backbone.npz} + {@code backbone.json}): the whole image resized
 * (bicubic, as the trainer's views) to {@code inputSize}², ImageNet-normalised, through the backbone in inference
 * mode (batch-norm running statistics); out comes the last stage's g×g×C map (g = inputSize/32), cell-major.
 */
public final class FeatureExtractor implements AutoCloseable {

    private final NDManager manager;
    private final ResNet.Backbone backbone;
    private final int inputSize;
    private final int channels;

    /** {@code backbone}: an exported backbone's directory, as a path, {@code file:} or {@code s3://} URI. */
    public FeatureExtractor(String backbone, int inputSize) throws IOException {
        this(backbone, inputSize, Device.cpu());
    }

    /** As above, the backbone on {@code device} (images are uploaded there, features copied back). */
    public FeatureExtractor(String backbone, int inputSize, Device device) throws IOException {
        if (inputSize <= 0 || inputSize % ResNetConfig.stride() != 0) {
            throw new IllegalArgumentException("probe input size must be a positive multiple of 32: " + inputSize);
        }
        this.manager = Torch.newManager(device);
        try {
            try (ObjectStore store = ObjectStores.open(backbone)) {
                this.backbone = BackboneExport.load(store, manager);
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
        this.inputSize = inputSize;
        this.channels = this.backbone.config().featureChannels();
    }

    public int grid() {
        return inputSize / ResNetConfig.stride();
    }

    public int channels() {
        return channels;
    }

    /** Features of each image, in order; batches of {@code batch}. */
    public float[][] extract(List<Image8> images, int batch) {
        float[][] out = new float[images.size()][];
        int hw = inputSize * inputSize;
        int g = grid();
        for (int start = 0; start < images.size(); start += batch) {
            int n = Math.min(batch, images.size() - start);
            float[] x = new float[n * 3 * hw];
            for (int i = 0; i < n; i++) {
                Image8 im = images.get(start + i);
                float[] chw = Resize.bicubic(im, new CropWindow(0, 0, im.width(), im.height()), inputSize, false);
                ColorOps.normalize(chw, hw);
                System.arraycopy(chw, 0, x, i * 3 * hw, 3 * hw);
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray in = sub.create(x, new Shape(n, 3, inputSize, inputSize));
                NDArray y = backbone.block().forward(new ParameterStore(sub, false), new NDList(in), false)
                        .singletonOrThrow();
                float[] f = y.transpose(0, 2, 3, 1).toFloatArray(); // [n, g, g, C]
                int per = g * g * channels;
                for (int i = 0; i < n; i++) {
                    float[] one = new float[per];
                    System.arraycopy(f, i * per, one, 0, per);
                    out[start + i] = one;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
