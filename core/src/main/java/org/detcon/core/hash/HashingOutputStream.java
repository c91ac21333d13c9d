package org.detcon.core.hash;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through to another stream while computing their SHA-256 and counting them. */
public final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest digest = ContentHash.newSha256();
    private long count;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** The hex SHA-256 of everything written so far; call once, after the last write. */
    public String sha256Hex() {
        return ContentHash.hex(digest.digest());
    }
}
