package org.detcon.core.store.s3;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed {@code s3://bucket/key} URI. The key may be empty (the whole bucket) and is kept verbatim apart from
 * the slash that separates it from the bucket: S3 keys are opaque strings, so nothing is percent-decoded and no
 * {@code java.net.URI} rules apply.
 */
public record S3Uri(String bucket, String key) {

    public static final String SCHEME = "s3://";

    /** DNS-compatible bucket names, as S3 requires for new buckets (3-63 chars, lowercase, digits, '.', '-'). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Uri {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket + "' in " + SCHEME + bucket
                    + "/" + key + ": 3-63 characters of lowercase letters, digits, '.' and '-', starting and"
                    + " ending with a letter or digit");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("invalid S3 URI " + SCHEME + bucket + "/" + key
                    + ": the key must not start with '/' (double slash after the bucket?)");
        }
    }

    /** Whether {@code s} looks like an S3 URI (scheme {@code s3://}, any case). */
    public static boolean isS3(String s) {
        return s != null && s.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code s3://bucket}, {@code s3://bucket/}, {@code s3://bucket/some/key}.
     *
     * @throws IllegalArgumentException with a message that quotes the input and says what is wrong
     */
    public static S3Uri parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("S3 URI is null");
        }
        if (!isS3(uri)) {
            throw new IllegalArgumentException("not an S3 URI: '" + uri + "' (expected s3://bucket/key)");
        }
        String rest = uri.substring(SCHEME.length());
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("invalid S3 URI '" + uri
                    + "': query strings and fragments are not supported");
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("invalid S3 URI '" + uri + "': no bucket (expected s3://bucket/key)");
        }
        try {
            return new S3Uri(bucket, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid S3 URI '" + uri + "': " + e.getMessage(), e);
        }
    }

    /** The key as a "directory" prefix: empty, or ending with exactly one '/'. */
    public String directoryPrefix() {
        if (key.isEmpty() || key.endsWith("/")) {
            return key;
        }
        return key + "/";
    }

    /** This URI treated as a directory, with {@code relative} appended ({@code s3://b/p} + {@code x} = {@code s3://b/p/x}). */
    public S3Uri resolve(String relative) {
        return new S3Uri(bucket, directoryPrefix() + relative);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
