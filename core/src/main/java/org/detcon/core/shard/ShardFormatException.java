package org.detcon.core.shard;

/**
 * A shard that cannot be read as a WebDataset tar of valid samples: corrupt or truncated tar, a member that is
 * not a regular file, a sample missing {@code KEY.json} or one of the files it lists, unparsable metadata.
 * Unchecked so that it can leave an iterator; names the shard and, where known, the tar member and the byte
 * offset of its header.
 */
public class ShardFormatException extends RuntimeException {

    private final String shard;
    private final String entry;
    private final long offset;

    public ShardFormatException(String shard, String entry, long offset, String problem, Throwable cause) {
        super("shard " + shard + (entry != null ? ", entry " + entry : "") + (offset >= 0 ? " (offset " + offset + ")"
                : "") + ": " + problem, cause);
        this.shard = shard;
        this.entry = entry;
        this.offset = offset;
    }

    /** The shard name (or URI) being read. */
    public String shard() {
        return shard;
    }

    /** The tar member at fault, or null when the fault is not inside one. */
    public String entry() {
        return entry;
    }

    /** Byte offset of the member's header in the shard, or -1 when unknown. */
    public long offset() {
        return offset;
    }
}
