package org.detcon.core.shard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.labelmap.LabelMap;

import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Deterministic samples for the shard tests. */
final class TestSamples {

    private TestSamples() {
    }

    static ObjectNode params(String k, int v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(k, v);
        return o;
    }

    /** A grid label map: cells of {@code cell} pixels numbered in raster order. */
    static LabelMap grid(int w, int h, int cell) {
        int[] labels = new int[w * h];
        int cols = (w + cell - 1) / cell;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = (y / cell) * cols + x / cell;
            }
        }
        return new LabelMap(w, h, labels);
    }

    /** A sample with a fake JPEG of {@code imageBytes} bytes, a grid label map and two RLE masks. */
    static ShardSample sample(int i, int imageBytes) {
        int w = 16 + i % 5;
        int h = 12 + i % 3;
        byte[] image = new byte[imageBytes];
        new Random(i).nextBytes(image);
        image[0] = (byte) 0xFF;
        image[1] = (byte) 0xD8;
        String source = "file:/data/coco/train2017/" + String.format("%012d", i) + ".jpg";
        SampleMetadata meta = new SampleMetadata(w, h, source, "coco", "train2017", "jpg", new TreeMap<>());
        ObjectNode cat = JsonNodeFactory.instance.objectNode();
        cat.put("category_id", 1 + i % 80);
        return ShardSample.builder(ShardKeys.fromSource(source), meta, image)
                .labelMap("grid-4", "grid", params("cells", 4), grid(w, h, 4))
                .rleMasks("gt", "gt", null, List.of(new RleMask(h, w, "PPYo0" + i, cat), new RleMask(h, w, "0" + w)))
                .build();
    }

    static ShardSample sample(int i) {
        return sample(i, 700 + 37 * i);
    }
}
