package org.detcon.trainer.data;

import java.io.IOException;
import java.util.function.Consumer;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;

/** A shard dataset ({@code _manifest.json} + shards) on any object store, streamed by the {@link ShardLoader}. */
public record ShardData(LoaderConfig config) implements TrainingData {

    private DatasetManifest manifest() throws IOException {
        try (ObjectStore store = ObjectStores.open(config.uri())) {
            return DatasetManifest.read(store);
        }
    }

    @Override
    public long samplesPerEpoch() throws IOException {
        return manifest().samples();
    }

    /** {@link DatasetManifest#contentHash()}: the shards' names, counts and sha256. */
    @Override
    public String contentHash() throws IOException {
        return manifest().contentHash();
    }

    @Override
    public String describe() {
        return config.uri();
    }

    @Override
    public BatchSource open(BatchAssembler assembler, int batchSize, long seed, BatchSource.Position start,
            Consumer<String> warn) throws IOException {
        return new ShardLoader(config, assembler, batchSize, seed, start, warn);
    }
}
