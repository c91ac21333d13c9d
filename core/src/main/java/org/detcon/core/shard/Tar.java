package org.detcon.core.shard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The tar layout the shard writer emits: POSIX ustar, one 512-byte header per regular file (mode 0644, uid/gid 0,
 * empty user/group names, mtime 0), data padded to 512 bytes, two zero blocks at the end, the whole archive padded
 * to a multiple of 10240 bytes (the default record size of GNU tar and Python's tarfile). Member names are short
 * ASCII (see {@link ShardKeys}), so no PAX or GNU long-name records are ever needed.
 */
final class Tar {

    static final int BLOCK = 512;
    static final int RECORD = 20 * BLOCK;
    /** Largest entry the 11-digit octal size field holds. */
    static final long MAX_ENTRY = 077777777777L;

    private static final byte[] ZEROS = new byte[RECORD];

    private Tar() {
    }

    /** Bytes one member with {@code dataLength} bytes of content takes: header plus padded data. */
    static long entrySize(long dataLength) {
        return BLOCK + padded(dataLength);
    }

    static long padded(long n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Final size of an archive whose members take {@code entriesBytes}: plus end blocks, padded to a record. */
    static long archiveSize(long entriesBytes) {
        long n = entriesBytes + 2L * BLOCK;
        return (n + RECORD - 1) / RECORD * RECORD;
    }

    static void writeEntry(OutputStream out, String name, byte[] data) throws IOException {
        out.write(header(name, data.length));
        out.write(data);
        int pad = (int) (padded(data.length) - data.length);
        out.write(ZEROS, 0, pad);
    }

    /** Writes the end-of-archive blocks and pads so that the archive totals {@link #archiveSize}. */
    static void writeEnd(OutputStream out, long entriesBytes) throws IOException {
        long pad = archiveSize(entriesBytes) - entriesBytes;
        while (pad > 0) {
            int n = (int) Math.min(pad, ZEROS.length);
            out.write(ZEROS, 0, n);
            pad -= n;
        }
    }

    static byte[] header(String name, long size) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length > 100 || n.length == 0) {
            throw new IllegalArgumentException("tar member name must be 1-100 ASCII bytes: " + name);
        }
        if (size < 0 || size > MAX_ENTRY) {
            throw new IllegalArgumentException("tar member too large: " + name + " has " + size + " bytes");
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);         // mode
        octal(h, 108, 8, 0);            // uid
        octal(h, 116, 8, 0);            // gid
        octal(h, 124, 12, size);        // size
        octal(h, 136, 12, 0);           // mtime
        h[156] = '0';                   // regular file
        ascii(h, 257, "ustar\0");       // magic
        ascii(h, 263, "00");            // version
        octal(h, 329, 8, 0);            // devmajor
        octal(h, 337, 8, 0);            // devminor
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        octal(h, 148, 7, sum);          // six digits, NUL, then the space already there
        return h;
    }

    private static void ascii(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** {@code len - 1} zero-padded octal digits and a NUL. */
    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        int digits = len - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("value " + v + " does not fit " + digits + " octal digits");
        }
        for (int i = 0; i < digits - s.length(); i++) {
            h[off + i] = '0';
        }
        ascii(h, off + digits - s.length(), s);
        h[off + digits] = 0;
    }
}
