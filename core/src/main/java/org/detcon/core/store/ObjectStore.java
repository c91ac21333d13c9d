package org.detcon.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A flat namespace of objects under a root URI (a dataset directory, an s3 prefix). Keys are relative,
 * '/'-separated paths such as {@code shard-000000.tar} or {@code train/_manifest.json}: no leading '/', no empty,
 * '.' or '..' segments, no backslashes. See {@link ObjectStores#open(String)} for the URI forms.
 */
public interface ObjectStore extends Closeable {

    /** The root URI, as given to {@link ObjectStores#open(String)} (normalised). */
    String uri();

    /** The full URI of one key, for messages and records. */
    String uri(String key);

    /** Opens an object for streaming reads; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    InputStream openRead(String key) throws IOException;

    /**
     * Creates (or replaces) an object: the returned stream publishes atomically on {@code close()}; call
     * {@link AtomicOutputStream#abort()} to discard instead. Readers never see partial content.
     */
    AtomicOutputStream create(String key) throws IOException;

    /** All keys starting with {@code prefix} ("" for all), recursively, sorted; in-progress writes are not listed. */
    List<String> list(String prefix) throws IOException;

    boolean exists(String key) throws IOException;

    /** Size in bytes; {@link java.nio.file.NoSuchFileException} when it does not exist. */
    long size(String key) throws IOException;

    /** Deletes an object; returns false when there was none. */
    boolean delete(String key) throws IOException;

    /** Releases connections held by the store (an S3 client); a no-op for local stores. */
    @Override
    default void close() throws IOException {
    }

    /** Reads a whole (small) object. */
    default byte[] readAllBytes(String key) throws IOException {
        try (InputStream in = openRead(key)) {
            return in.readAllBytes();
        }
    }

    /** Writes and publishes a whole object atomically. */
    default void write(String key, byte[] content) throws IOException {
        write(key, out -> out.write(content));
    }

    /**
     * Runs {@code body} against a fresh {@link #create(String)} stream and publishes it when {@code body} returns
     * normally; when it throws, the temporary content is discarded and the exception rethrown.
     */
    default void write(String key, WriteBody body) throws IOException {
        AtomicOutputStream out = create(key);
        try {
            body.writeTo(out);
        } catch (IOException | RuntimeException | Error e) {
            try {
                out.abort();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        out.close();
    }

    /** What {@link #write(String, WriteBody)} runs. */
    @FunctionalInterface
    interface WriteBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Checks a key against the rules above; returns it. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        if (key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("object key must be a relative '/'-separated path: '" + key + "'");
        }
        for (String seg : key.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("object key has an empty, '.' or '..' segment: '" + key + "'");
            }
        }
        if (key.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("object key contains control characters: '" + key + "'");
        }
        return key;
    }
}
