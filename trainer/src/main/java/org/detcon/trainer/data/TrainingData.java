package org.detcon.trainer.data;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where a training run's examples come from: a shard dataset streamed from an object store ({@link ShardData}), or
 * examples held in memory ({@link InMemoryData}) for tests and benchmarks. Either way the batches are a pure
 * function of the seed (views from {@link BatchAssembler#makeForSample}) and resume from a position.
 */
public interface TrainingData {

    /** Samples in one epoch (before any bad sample is skipped). */
    long samplesPerEpoch() throws IOException;

    /** What the data is, independent of where it lives (a run's identity uses it instead of the location). */
    String contentHash() throws IOException;

    /** Where the data is, for messages. */
    String describe();

    /**
     * Opens the stream at {@code start}. {@code warn} receives one line per skipped sample or shard.
     */
    BatchSource open(BatchAssembler assembler, int batchSize, long seed, BatchSource.Position start,
            Consumer<String> warn) throws IOException;
}
