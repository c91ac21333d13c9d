package org.detcon.orchestration.quickstart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecoder;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.data.Example;

/**
 * Training examples from a mask-shard dataset, held in memory (a quickstart-sized dataset: 1,000 images of 96 px
 * are 28 MB decoded). With a mask set, each example is that set's partition (DetCon); without, the 1×1 grid
 * (global mask: BYOL). Sorted by key, so the order does not depend on shard assignment.
 */
public final class ShardExamples {

    private ShardExamples() {
    }

    public static List<Example> load(String datasetUri, String maskSet) throws IOException {
        ObjectStore store = ObjectStores.open(datasetUri);
        DatasetManifest m = DatasetManifest.read(store);
        List<String> shards = m.shards().stream().map(ShardInfo::name).toList();
        ImageDecoder decoder = ImageDecoder.withDefaults();
        List<Example> out = new ArrayList<>();
        List<Exception> failure = new ArrayList<>();
        ShardReader.forEach(store, shards, ShardReader.OnCorrupt.FAIL, s -> {
            try {
                Image8 img = decoder.decode(s.image(), s.key()).toRgb();
                out.add(maskSet == null ? Example.grid(s.key(), img, 1)
                        : Example.partition(s.key(), img, s.labelMap(maskSet)));
            } catch (IOException | org.detcon.core.image.ImageDecodeException e) {
                failure.add(e);
            }
        });
        if (!failure.isEmpty()) {
            throw new IOException("cannot read a training sample: " + failure.get(0).getMessage(), failure.get(0));
        }
        out.sort(Comparator.comparing(Example::key));
        return out;
    }
}
