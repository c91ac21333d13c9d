package org.detcon.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An object store rooted at a URI ({@code file:/data/x}, {@code s3://bucket/prefix}); keys are '/'-separated paths
 * relative to that root.
 *
 * <p>MINIMAL COPY written in branch h-s3infra only so that {@code org.detcon.core.store.s3} compiles; the
 * colleague's version of this interface (with {@code LocalObjectStore} and {@code ObjectStores.open}) is the one
 * to keep at merge, and {@code S3ObjectStore} is adapted to it.
 *
 * <p>Contract: {@link #create} returns a stream whose {@code close()} publishes the object atomically (readers see
 * the old object or the complete new one, never a part) and whose {@link WriteStream#abort()} (or a failure while
 * writing or publishing) leaves nothing behind. Missing objects raise {@link java.nio.file.NoSuchFileException}
 * whose message names the full URI.
 */
public interface ObjectStore extends Closeable {

    /** The root URI this store was opened on, normalised. */
    String root();

    /** The full URI of {@code key}, for messages and for handing to other jobs. */
    String uri(String key);

    /** Opens {@code key} for reading; {@link java.nio.file.NoSuchFileException} naming the URI when missing. */
    InputStream open(String key) throws IOException;

    /** Creates (or replaces) {@code key}; nothing is visible until the returned stream is closed. */
    WriteStream create(String key) throws IOException;

    /** Every key under {@code prefix} ("" for all), recursively, relative to the root, sorted. */
    List<String> list(String prefix) throws IOException;

    boolean exists(String key) throws IOException;

    /** Size in bytes; {@link java.nio.file.NoSuchFileException} naming the URI when missing. */
    long size(String key) throws IOException;

    /** Deletes {@code key}; deleting a missing key is not an error. */
    void delete(String key) throws IOException;

    /** An output stream with atomic publish on {@link #close()}. */
    abstract class WriteStream extends OutputStream {
        /** Discards everything written; afterwards {@link #close()} publishes nothing. Idempotent. */
        public abstract void abort() throws IOException;
    }
}
