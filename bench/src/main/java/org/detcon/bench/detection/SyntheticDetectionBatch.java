package org.detcon.bench.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.model.ImageTargets;

/**
 * Speed-benchmark input (the same recipe as bench/detection/torchvision_speed.py): {@code batch} normalised noise
 * images of {@code size²}, each with {@code objects} rectangles (sides 5–45 % of the image, classes 1..K−1) and
 * their rectangle masks.
 */
final class SyntheticDetectionBatch {

    private SyntheticDetectionBatch() {
    }

    static DetectionBatch make(int batch, int size, int objects, int numClasses, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            float[] px = new float[3 * size * size];
            for (int p = 0; p < px.length; p++) {
                px[p] = (float) rng.nextGaussian();
            }
            float[] boxes = new float[4 * objects];
            int[] labels = new int[objects];
            for (int k = 0; k < objects; k++) {
                float w = (float) (size * rng.nextDouble(0.05, 0.45));
                float h = (float) (size * rng.nextDouble(0.05, 0.45));
                float x = (float) rng.nextDouble(0, size - w);
                float y = (float) rng.nextDouble(0, size - h);
                boxes[4 * k] = x;
                boxes[4 * k + 1] = y;
                boxes[4 * k + 2] = x + w;
                boxes[4 * k + 3] = y + h;
                labels[k] = 1 + rng.nextInt(numClasses - 1);
            }
            samples.add(new DetectionSample(i, px, size, size, size, size, false,
                    new ImageTargets(boxes, labels, new Rectangles(boxes, size))));
        }
        return new DetectionBatch(samples, size);
    }

    /** The boxes' rectangles as masks. */
    private record Rectangles(float[] boxes, int size) implements ImageTargets.InstanceMasks {

        @Override
        public int count() {
            return boxes.length / 4;
        }

        @Override
        public int height() {
            return size;
        }

        @Override
        public int width() {
            return size;
        }

        @Override
        public byte[] mask(int i) {
            byte[] m = new byte[size * size];
            for (int y = (int) boxes[4 * i + 1]; y < (int) Math.ceil(boxes[4 * i + 3]); y++) {
                for (int x = (int) boxes[4 * i]; x < (int) Math.ceil(boxes[4 * i + 2]); x++) {
                    m[y * size + x] = 1;
                }
            }
            return m;
        }
    }
}
