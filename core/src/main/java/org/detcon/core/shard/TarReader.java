package org.detcon.core.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A strict streaming tar reader for shards: ustar, GNU and PAX headers (as written by Python's tarfile, GNU tar,
 * commons-compress and {@link Tar}), header checksums verified, regular files returned whole, directories
 * skipped, any other member type refused, and an archive that ends without its zero end block reported as
 * truncated (Python's tarfile and commons-compress accept such a file silently, losing samples).
 */
final class TarReader {

    /** One regular file of the archive. */
    record Entry(String name, byte[] data, long offset) {
    }

    private final InputStream in;
    private final String shard;
    private final long maxEntry;
    private long pos;
    private boolean ended;

    TarReader(InputStream in, String shard, long maxEntryBytes) {
        this.in = in;
        this.shard = shard;
        this.maxEntry = maxEntryBytes;
    }

    /** Bytes consumed so far. */
    long position() {
        return pos;
    }

    /** The next regular file, or null after the end-of-archive block. */
    Entry next() throws IOException {
        if (ended) {
            return null;
        }
        String longName = null;
        String paxPath = null;
        long paxSize = -1;
        byte[] h = new byte[Tar.BLOCK];
        while (true) {
            long headerAt = pos;
            int got = readFully(h, 0, Tar.BLOCK);
            if (got == 0) {
                throw fail(null, headerAt, "truncated: the archive ends without its end-of-archive block", null);
            }
            if (got < Tar.BLOCK) {
                throw fail(null, headerAt, "truncated inside a header (" + got + " of 512 bytes)", null);
            }
            if (isZero(h)) {
                ended = true;
                return null; // the rest (second zero block, record padding) is not needed
            }
            String rawName = cString(h, 0, 100);
            if (!checksumOk(h)) {
                throw fail(rawName, headerAt, "header checksum mismatch (corrupt tar)", null);
            }
            String name = rawName;
            String magic = cString(h, 257, 6);
            if (magic.equals("ustar")) { // POSIX ustar (GNU's "ustar  " has no prefix field)
                String prefix = cString(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + rawName;
                }
            }
            long size = numeric(h, 124, 12, name, headerAt);
            byte type = h[156];
            if (size > maxEntry) {
                throw fail(name, headerAt, "entry of " + size + " bytes exceeds the limit of " + maxEntry, null);
            }
            if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                byte[] data = readData(name, headerAt, size);
                if (type == 'x') {
                    String[] pathAndSize = parsePax(data, name, headerAt);
                    if (pathAndSize[0] != null) {
                        paxPath = pathAndSize[0];
                    }
                    if (pathAndSize[1] != null) {
                        try {
                            paxSize = Long.parseLong(pathAndSize[1]);
                        } catch (NumberFormatException e) {
                            throw fail(name, headerAt, "bad PAX size '" + pathAndSize[1] + "'", e);
                        }
                    }
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                }
                continue; // 'g' (global PAX) and 'K' (long link name) carry nothing a sample needs
            }
            if (paxPath != null) {
                name = paxPath;
            } else if (longName != null) {
                name = longName;
            }
            if (paxSize >= 0) {
                size = paxSize;
                if (size > maxEntry) {
                    throw fail(name, headerAt, "entry of " + size + " bytes exceeds the limit of " + maxEntry, null);
                }
            }
            if (type == '5') {
                skipData(name, headerAt, size);
                longName = null;
                paxPath = null;
                paxSize = -1;
                continue;
            }
            if (type != '0' && type != 0 && type != '7') {
                throw fail(name, headerAt, "unsupported tar member type '" + (char) type
                        + "' (shards hold regular files only)", null);
            }
            return new Entry(name, readData(name, headerAt, size), headerAt);
        }
    }

    private byte[] readData(String name, long headerAt, long size) throws IOException {
        byte[] data = new byte[(int) size];
        int got = readFully(data, 0, data.length);
        if (got < size) {
            throw fail(name, headerAt, "truncated: entry data has " + got + " of " + size + " bytes", null);
        }
        skipPadding(name, headerAt, size);
        return data;
    }

    private void skipData(String name, long headerAt, long size) throws IOException {
        long left = Tar.padded(size);
        byte[] buf = new byte[8192];
        while (left > 0) {
            int got = readFully(buf, 0, (int) Math.min(buf.length, left));
            if (got == 0) {
                throw fail(name, headerAt, "truncated inside entry data", null);
            }
            left -= got;
        }
    }

    private void skipPadding(String name, long headerAt, long size) throws IOException {
        int pad = (int) (Tar.padded(size) - size);
        if (pad > 0) {
            byte[] buf = new byte[pad];
            if (readFully(buf, 0, pad) < pad) {
                throw fail(name, headerAt, "truncated: entry padding is incomplete", null);
            }
        }
    }

    private int readFully(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n;
            try {
                n = in.read(b, off + total, len - total);
            } catch (IOException e) {
                throw fail(null, pos, "read error: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            total += n;
            pos += n;
        }
        return total;
    }

    private ShardFormatException fail(String entry, long offset, String problem, Throwable cause) {
        return new ShardFormatException(shard, entry, offset, problem, cause);
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            stored = parseOctal(h, 148, 8);
        } catch (NumberFormatException e) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < Tar.BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += b & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        return stored == unsigned || stored == signed;
    }

    private long numeric(byte[] h, int off, int len, String name, long headerAt) {
        if ((h[off] & 0x80) != 0) { // base-256 (GNU / star) for large values
            if ((h[off] & 0x40) != 0) {
                throw fail(name, headerAt, "negative base-256 number in header", null);
            }
            long v = h[off] & 0x3F;
            for (int i = off + 1; i < off + len; i++) {
                if ((v >>> 55) != 0) {
                    throw fail(name, headerAt, "base-256 number in header overflows", null);
                }
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        }
        try {
            return parseOctal(h, off, len);
        } catch (NumberFormatException e) {
            throw fail(name, headerAt, "bad octal number in header: " + e.getMessage(), e);
        }
    }

    private static long parseOctal(byte[] h, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        long v = 0;
        boolean any = false;
        for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 7) {
                throw new NumberFormatException("'" + new String(h, off, len, StandardCharsets.ISO_8859_1).trim() + "'");
            }
            v = (v << 3) | d;
            any = true;
        }
        if (!any) {
            throw new NumberFormatException("empty number field");
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** Returns {path, size} from PAX records ("LEN key=value\n"), either null when absent. */
    private String[] parsePax(byte[] data, String name, long headerAt) {
        String[] out = new String[2];
        int i = 0;
        while (i < data.length) {
            if (data[i] == 0) {
                break;
            }
            int sp = i;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw fail(name, headerAt, "malformed PAX record length", e);
            }
            if (len <= 0 || i + len > data.length || data[i + len - 1] != '\n') {
                throw fail(name, headerAt, "malformed PAX record", null);
            }
            String rec = new String(data, sp + 1, i + len - 1 - (sp + 1), StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq < 0) {
                throw fail(name, headerAt, "malformed PAX record (no '=')", null);
            }
            String k = rec.substring(0, eq);
            if (k.equals("path")) {
                out[0] = rec.substring(eq + 1);
            } else if (k.equals("size")) {
                out[1] = rec.substring(eq + 1);
            }
            i += len;
        }
        return out;
    }
}
