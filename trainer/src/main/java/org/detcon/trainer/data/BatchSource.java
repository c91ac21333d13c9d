package org.detcon.trainer.data;

import java.io.IOException;
import java.util.List;

/**
 * A stream of prepared training batches, resumable from a {@link Position}: a source opened at the position a batch
 * reported continues with exactly the batches that followed it. Each batch is a list of prepared samples of type
 * {@code T} (for pretraining, the views and sampled masks of a {@link BatchAssembler.Pair}; for fine-tuning, a
 * cropped image with its target). The shard loader ({@link ShardLoader}), examples held in memory
 * ({@link InMemoryData}) and any indexed dataset ({@link IndexedSource}) are the sources.
 */
public interface BatchSource<T> extends AutoCloseable {

    /** Where a stream starts: the epoch and the index of the first sample to deliver in its order. */
    record Position(long epoch, long index) {
        public static final Position START = new Position(0, 0);
    }

    /** A prepared batch: the prepared samples (in order), their keys and the position after the batch. */
    record Batch<T>(List<T> items, List<String> keys, Position next) {
    }

    /** Counters so far: samples delivered, bad samples and shards skipped, time the consumer waited, batches. */
    record Stats(long samples, long badSamples, long badShards, long waitNanos, long batches) {
    }

    /** Opens a source at a position; {@code warn} receives one line per skipped sample or shard. */
    @FunctionalInterface
    interface Opener<T> {
        BatchSource<T> open(Position start, java.util.function.Consumer<String> warn) throws IOException;
    }

    /** The next batch; blocks while none is ready (counted as data wait). */
    Batch<T> next() throws IOException;

    Stats stats();

    @Override
    void close();
}
