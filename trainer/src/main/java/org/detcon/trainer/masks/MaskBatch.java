package org.detcon.trainer.masks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** The sampled masks of one view for a batch, as tensors: ids [B, R] (int64) and weights [B, R, g·g] (float32). */
public record MaskBatch(NDArray ids, NDArray weights) {

    public static MaskBatch of(NDManager manager, List<SampledMasks> perImage) {
        int b = perImage.size();
        int r = perImage.get(0).count();
        int cells = perImage.get(0).weights()[0].length;
        long[] ids = new long[b * r];
        float[] w = new float[b * r * cells];
        for (int i = 0; i < b; i++) {
            SampledMasks s = perImage.get(i);
            if (s.count() != r) {
                throw new IllegalArgumentException("every image needs " + r + " masks");
            }
            for (int j = 0; j < r; j++) {
                ids[i * r + j] = s.ids()[j];
                System.arraycopy(s.weights()[j], 0, w, (i * r + j) * cells, cells);
            }
        }
        return new MaskBatch(manager.create(ids, new Shape(b, r)), manager.create(w, new Shape(b, r, cells)));
    }
}
