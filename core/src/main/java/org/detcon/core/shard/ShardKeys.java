package org.detcon.core.shard;

import org.detcon.core.hash.ContentHash;

import java.util.regex.Pattern;

/**
 * Sample keys and mask-set names. WebDataset splits a member name into key and extension at the first dot of
 * its basename, so a key must not contain dots (or slashes, which would make it a path); mask-set names become
 * part of the extension ({@code KEY.fh-s1000.png}) and must not contain dots either. Both are limited in
 * length so that every member name fits a plain ustar header (100 bytes) and shards need no PAX records.
 */
public final class ShardKeys {

    /** Keys: letters, digits, '_' and '-', 1 to 64 characters. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Mask-set names: letters, digits, '_' and '-', 1 to 24 characters. */
    public static final int MAX_MASK_SET_LENGTH = 24;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_KEY_LENGTH + "}");
    private static final Pattern MASK_SET = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_MASK_SET_LENGTH + "}");
    private static final int NAME_PART = 40;
    private static final int HASH_PART = 12;

    private ShardKeys() {
    }

    public static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    /** Returns {@code key} when valid, else throws an {@link IllegalArgumentException} saying why. */
    public static String checkKey(String key) {
        if (!isValidKey(key)) {
            throw new IllegalArgumentException("invalid sample key '" + key + "': keys are 1-" + MAX_KEY_LENGTH
                    + " characters of [A-Za-z0-9_-] (no dots or slashes: WebDataset splits the key at the first"
                    + " dot of the file name); use ShardKeys.fromSource to derive one");
        }
        return key;
    }

    public static String checkMaskSet(String name) {
        if (name == null || !MASK_SET.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid mask set name '" + name + "': 1-" + MAX_MASK_SET_LENGTH
                    + " characters of [A-Za-z0-9_-], no dots");
        }
        return name;
    }

    /**
     * A key derived deterministically from a source URI or file name: the basename without its extensions,
     * with every character outside [A-Za-z0-9_-] replaced by '_', cut to 40 characters, then '_' and the first
     * 12 hex digits of the SHA-256 of the whole source string. Equal sources give equal keys; sources with the
     * same basename in different directories give different keys.
     * Example: {@code s3://b/coco/train2017/000000000009.jpg} → {@code 000000000009_3f1c...}.
     */
    public static String fromSource(String source) {
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("source must not be empty");
        }
        String base = source;
        int q = base.indexOf('?');
        if (q >= 0 && base.contains("://")) {
            base = base.substring(0, q);
        }
        while (base.endsWith("/") || base.endsWith("\\")) {
            base = base.substring(0, base.length() - 1);
        }
        base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
        int dot = base.indexOf('.', 1);
        if (dot > 0) {
            base = base.substring(0, dot);
        }
        StringBuilder sb = new StringBuilder(NAME_PART + 1 + HASH_PART);
        for (int i = 0; i < base.length() && sb.length() < NAME_PART; i++) {
            char c = base.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            sb.append(ok ? c : '_');
        }
        if (sb.length() > 0) {
            sb.append('_');
        }
        sb.append(ContentHash.sha256Hex(source), 0, HASH_PART);
        return sb.toString();
    }
}
