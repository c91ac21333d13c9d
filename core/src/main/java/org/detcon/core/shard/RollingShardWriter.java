package org.detcon.core.shard;

import org.detcon.core.store.ObjectStore;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * Writes a stream of samples into consecutive shards {@code PREFIX-000000.tar}, {@code PREFIX-000001.tar}, ...,
 * starting a new shard before a sample that would take the current one past {@code maxBytes} (its final size,
 * end blocks and padding included) or past {@code maxSamples}. A shard therefore never exceeds {@code maxBytes}
 * unless it holds a single sample larger than that. Each shard is published when it is complete;
 * {@link #abort()} discards only the one in progress. The prefix may contain '/' to put shards in a folder.
 */
public final class RollingShardWriter implements Closeable {

    private final ObjectStore store;
    private final String prefix;
    private final long maxBytes;
    private final long maxSamples;
    private int nextIndex;
    private ShardWriter current;
    private final List<ShardInfo> done = new ArrayList<>();
    private boolean closed;

    /**
     * @param prefix     shard names are {@code prefix + String.format("-%06d.tar", index)}
     * @param maxBytes   target shard size in bytes (at least 10240, one tar record)
     * @param maxSamples most samples per shard (at least 1)
     * @param firstIndex index of the first shard (lets parallel writers use disjoint name ranges)
     */
    public RollingShardWriter(ObjectStore store, String prefix, long maxBytes, long maxSamples, int firstIndex) {
        this.store = store;
        this.prefix = prefix;
        ObjectStore.checkKey(shardName(prefix, firstIndex));
        if (maxBytes < Tar.RECORD) {
            throw new IllegalArgumentException("maxBytes must be at least " + Tar.RECORD + ", got " + maxBytes);
        }
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be at least 1, got " + maxSamples);
        }
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must be >= 0");
        }
        this.maxBytes = maxBytes;
        this.maxSamples = maxSamples;
        this.nextIndex = firstIndex;
    }

    public RollingShardWriter(ObjectStore store, String prefix, long maxBytes, long maxSamples) {
        this(store, prefix, maxBytes, maxSamples, 0);
    }

    /** {@code shard-000042.tar} for prefix "shard" and index 42. */
    public static String shardName(String prefix, int index) {
        return prefix + String.format("-%06d.tar", index);
    }

    /**
     * Appends a sample, rolling to a new shard first when needed. When writing fails the shard in progress is
     * discarded and the writer closed (a duplicate key only rejects that sample).
     */
    public void write(ShardSample sample) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        SortedMap<String, byte[]> members = ShardWriter.members(sample); // serialised once, sized and written
        if (current != null && current.samples() > 0
                && (current.samples() >= maxSamples || current.sizeWith(members) > maxBytes)) {
            done.add(current.finish());
            current = null;
        }
        if (current == null) {
            current = ShardWriter.create(store, shardName(prefix, nextIndex++));
        }
        try {
            current.write(sample.key(), members);
        } catch (IOException | RuntimeException e) {
            if (current.failed()) { // the shard's bytes are broken: discard it, and stop
                try {
                    abort();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Shards published so far (the one in progress is not included until it is finished). */
    public List<ShardInfo> shards() {
        return Collections.unmodifiableList(done);
    }

    /** Publishes the shard in progress and returns all shards written, in order. */
    public List<ShardInfo> finish() throws IOException {
        if (!closed) {
            closed = true;
            if (current != null) {
                ShardWriter w = current;
                current = null;
                done.add(w.finish());
            }
        }
        return shards();
    }

    /** Discards the shard in progress; shards already published stay (see {@link #shards()}). */
    public void abort() throws IOException {
        closed = true;
        if (current != null) {
            ShardWriter w = current;
            current = null;
            w.abort();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
