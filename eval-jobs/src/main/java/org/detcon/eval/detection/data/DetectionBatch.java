package org.detcon.eval.detection.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.detcon.eval.detection.model.ImageTargets;

/**
 * Samples padded at the bottom and right with zeros (after normalisation, as torchvision batches) to one
 * {@code size×size} tensor.
 */
public record DetectionBatch(List<DetectionSample> samples, int size) {

    public DetectionBatch {
        samples = List.copyOf(samples);
        for (DetectionSample s : samples) {
            if (s.height() > size || s.width() > size) {
                throw new IllegalArgumentException("image " + s.imageId() + " (" + s.height() + "x" + s.width()
                        + ") does not fit a " + size + "x" + size + " batch");
            }
        }
    }

    public int count() {
        return samples.size();
    }

    /** The padded batch {@code [N, 3, size, size]} on {@code manager}. */
    public NDArray images(NDManager manager) {
        int plane = size * size;
        float[] x = new float[samples.size() * 3 * plane];
        for (int i = 0; i < samples.size(); i++) {
            DetectionSample s = samples.get(i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s.height(); y++) {
                    System.arraycopy(s.pixels(), (c * s.height() + y) * s.width(), x,
                            (i * 3 + c) * plane + y * size, s.width());
                }
            }
        }
        return manager.create(x, new Shape(samples.size(), 3, size, size));
    }

    /** Each image's unpadded {@code {h, w}}. */
    public int[][] imageSizes() {
        int[][] out = new int[samples.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[] {samples.get(i).height(), samples.get(i).width()};
        }
        return out;
    }

    public List<ImageTargets> targets() {
        List<ImageTargets> out = new ArrayList<>(samples.size());
        for (DetectionSample s : samples) {
            if (s.targets() == null) {
                throw new IllegalStateException("image " + s.imageId() + " has no ground truth (an inference sample)");
            }
            out.add(s.targets());
        }
        return out;
    }
}
