package org.detcon.core.store;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream whose content becomes visible under its key only when {@link #close()} succeeds: until then
 * it lives under a temporary name that {@link ObjectStore#list(String)} never returns and that looks like no
 * data file. {@link #abort()} (or any failed write, or a failed close) discards the temporary content and
 * publishes nothing. Calling {@code abort()} after a successful close does nothing.
 */
public abstract class AtomicOutputStream extends OutputStream {

    /** Discards what was written; nothing is published. Idempotent. */
    public abstract void abort() throws IOException;

    /** True once {@link #close()} has published the object. */
    public abstract boolean isPublished();

    /** The key this stream publishes to. */
    public abstract String key();
}
