package org.detcon.trainer.data;

import java.io.IOException;
import java.util.List;

/**
 * A stream of prepared training batches (views and sampled masks), resumable from a {@link Position}: a source
 * opened at the position a batch reported continues with exactly the batches that followed it. The shard loader
 * ({@link ShardLoader}) and examples held in memory ({@link InMemoryData}) are the two sources.
 */
public interface BatchSource extends AutoCloseable {

    /** Where a stream starts: the epoch and the index of the first sample to deliver in its order. */
    record Position(long epoch, long index) {
        public static final Position START = new Position(0, 0);
    }

    /** A prepared batch: the views of each sample (in order), their keys and the position after the batch. */
    record Batch(List<BatchAssembler.Pair> pairs, List<String> keys, Position next) {
    }

    /** Counters so far: samples delivered, bad samples and shards skipped, time the consumer waited, batches. */
    record Stats(long samples, long badSamples, long badShards, long waitNanos, long batches) {
    }

    /** The next batch; blocks while none is ready (counted as data wait). */
    Batch next() throws IOException;

    Stats stats();

    @Override
    void close();
}
