package org.detcon.core.shard;

import org.detcon.core.hash.HashingOutputStream;
import org.detcon.core.store.AtomicOutputStream;
import org.detcon.core.store.ObjectStore;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Streams samples into one shard (a WebDataset tar) in an {@link ObjectStore}. Each sample is written as soon as it
 * is given, so only one sample is ever held; the shard is published under its name by an atomic rename in
 * {@link #finish()} (or {@link #close()}), and {@link #abort()} leaves nothing behind. The tar bytes depend only on
 * the samples: members of a sample in name order, fixed headers (see {@link Tar}). SHA-256 and size are computed
 * while streaming.
 *
 * <p>A write that fails puts the writer in a failed state: the shard can then only be aborted ({@code close()}
 * aborts it and throws). Not thread-safe.
 */
public final class ShardWriter implements Closeable {

    private final String name;
    private final AtomicOutputStream target;
    private final HashingOutputStream hashing;
    private final BufferedOutputStream out;
    private final Set<String> keys = new HashSet<>();
    private long entriesBytes;
    private long samples;
    private boolean failed;
    private ShardInfo result;
    private boolean aborted;

    private ShardWriter(String name, AtomicOutputStream target) {
        this.name = name;
        this.target = target;
        this.hashing = new HashingOutputStream(target);
        this.out = new BufferedOutputStream(hashing, 256 * 1024);
    }

    /** Starts a shard that will be published as {@code name} (which must end in {@code .tar}). */
    public static ShardWriter create(ObjectStore store, String name) throws IOException {
        ObjectStore.checkKey(name);
        if (!name.endsWith(".tar")) {
            throw new IllegalArgumentException("shard name must end in .tar: " + name);
        }
        return new ShardWriter(name, store.create(name));
    }

    public String name() {
        return name;
    }

    /** True after a write failed: the shard can only be aborted. */
    public boolean failed() {
        return failed;
    }

    /** Samples written so far. */
    public long samples() {
        return samples;
    }

    /** Size the shard would have if finished now. */
    public long size() {
        return Tar.archiveSize(entriesBytes);
    }

    /** Size the shard would have after adding {@code sample} and finishing. */
    public long sizeWith(ShardSample sample) {
        return sizeWith(members(sample));
    }

    long sizeWith(Map<String, byte[]> members) {
        return Tar.archiveSize(entriesBytes + encodedSize(members));
    }

    /** Tar bytes a sample takes (headers and padded data of its members). */
    public static long encodedSize(ShardSample sample) {
        return encodedSize(members(sample));
    }

    private static long encodedSize(Map<String, byte[]> members) {
        long n = 0;
        for (byte[] m : members.values()) {
            n += Tar.entrySize(m.length);
        }
        return n;
    }

    /** The members of a sample (name to bytes), in the order they are written: sorted by name. */
    static SortedMap<String, byte[]> members(ShardSample s) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        m.put(s.imageName(), s.image());
        m.put(s.metadataName(), s.metadata().toBytes());
        for (Map.Entry<String, byte[]> e : s.maskFiles().entrySet()) {
            m.put(s.maskName(e.getKey()), e.getValue());
        }
        return m;
    }

    /**
     * Appends one sample.
     *
     * @throws IllegalArgumentException when the key was already written to this shard
     */
    public void write(ShardSample sample) throws IOException {
        write(sample.key(), members(sample));
    }

    /** Appends the members of one sample, as given by {@link #members}. */
    void write(String key, SortedMap<String, byte[]> members) throws IOException {
        checkOpen();
        if (!keys.add(key)) {
            throw new IllegalArgumentException("duplicate key " + key + " in shard " + name);
        }
        try {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                Tar.writeEntry(out, e.getKey(), e.getValue());
                entriesBytes += Tar.entrySize(e.getValue().length);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        samples++;
    }

    private void checkOpen() {
        if (result != null || aborted) {
            throw new IllegalStateException("shard " + name + " is already " + (aborted ? "aborted" : "finished"));
        }
        if (failed) {
            throw new IllegalStateException("shard " + name + " failed on an earlier write; it can only be aborted");
        }
    }

    /** Ends the archive and publishes it; returns what the manifest records. Idempotent. */
    public ShardInfo finish() throws IOException {
        if (result != null) {
            return result;
        }
        checkOpen();
        try {
            Tar.writeEnd(out, entriesBytes);
            out.flush();
            if (hashing.count() != Tar.archiveSize(entriesBytes)) {
                throw new IllegalStateException("shard " + name + ": wrote " + hashing.count() + " bytes, expected "
                        + Tar.archiveSize(entriesBytes));
            }
            String sha = hashing.sha256Hex();
            target.close(); // publishes
            result = new ShardInfo(name, samples, hashing.count(), sha);
            return result;
        } catch (IOException | RuntimeException e) {
            failed = true;
            abortQuietly(e);
            throw e;
        }
    }

    /** Discards the shard: nothing is published. Idempotent; does nothing after a successful finish. */
    public void abort() throws IOException {
        if (result != null || aborted) {
            return;
        }
        aborted = true;
        target.abort();
    }

    private void abortQuietly(Exception e) {
        try {
            abort();
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    /** Finishes (publishes) the shard, or aborts it when a write had failed (and then throws). */
    @Override
    public void close() throws IOException {
        if (result != null || aborted) {
            return;
        }
        if (failed) {
            abort();
            throw new IOException("shard " + name + " was not published: an earlier write failed");
        }
        finish();
    }
}
