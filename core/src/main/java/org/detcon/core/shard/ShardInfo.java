package org.detcon.core.shard;

import java.util.Objects;

/** A published shard as the manifest records it: its key in the store, sample count, size and sha256 (hex). */
public record ShardInfo(String name, long samples, long bytes, String sha256) {

    public ShardInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (samples < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative count in shard " + name);
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("shard " + name + ": sha256 must be 64 lowercase hex digits: " + sha256);
        }
    }
}
