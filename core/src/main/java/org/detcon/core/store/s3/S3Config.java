package org.detcon.core.store.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach S3 or an S3-compatible store. Immutable; {@link #toString()} never shows secrets.
 *
 * <p>{@link #fromEnvironment()} reads, system property first, then environment variable:
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>system property</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>detcon.s3.endpoint</td><td>DETCON_S3_ENDPOINT</td><td>endpoint override, e.g. http://127.0.0.1:9000
 *       (unset: AWS S3)</td></tr>
 *   <tr><td>detcon.s3.region, aws.region</td><td>DETCON_S3_REGION, AWS_REGION, AWS_DEFAULT_REGION</td>
 *       <td>region (unset: the SDK's region chain, then us-east-1 when an endpoint is set)</td></tr>
 *   <tr><td>detcon.s3.pathStyle</td><td>DETCON_S3_PATH_STYLE</td><td>true/false (unset: true when an endpoint is
 *       set)</td></tr>
 *   <tr><td>detcon.s3.profile</td><td>DETCON_S3_PROFILE</td><td>a named profile of ~/.aws/config and
 *       ~/.aws/credentials (unset: the SDK's default credentials chain: env, system properties, AWS_PROFILE,
 *       web identity, container and instance credentials)</td></tr>
 *   <tr><td>detcon.s3.credentialsFile</td><td>DETCON_S3_CREDENTIALS_FILE</td><td>with a profile: the credentials
 *       file (AWS INI format) that holds it, instead of ~/.aws/credentials</td></tr>
 *   <tr><td>detcon.s3.partSize</td><td>DETCON_S3_PART_SIZE</td><td>multipart part size, bytes or with k/m/g
 *       suffix (default 16m, at least 5m)</td></tr>
 * </table>
 *
 * <p>Access keys are never read from detcon-specific settings: the default chain already reads
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}; {@link #withCredentials} sets explicit ones in code.
 *
 * @param endpoint      endpoint override, or null for AWS S3
 * @param region        region, or null to ask the SDK's region chain
 * @param pathStyle     path-style addressing ({@code http://host/bucket/key}) instead of virtual-hosted
 * @param credentials   where credentials come from
 * @param partSize      multipart part size in bytes; objects up to this size are sent with one PUT
 */
public record S3Config(URI endpoint, String region, boolean pathStyle, Credentials credentials, long partSize) {

    /** S3's minimum part size (all parts but the last); s3proxy and MinIO enforce it too. */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** AWS S3's maximum part size. */
    public static final long MAX_PART_SIZE = 5L << 30;
    public static final long DEFAULT_PART_SIZE = 16L << 20;

    public S3Config {
        Objects.requireNonNull(credentials, "credentials");
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw new IllegalArgumentException("invalid S3 endpoint '" + endpoint
                    + "': expected http(s)://host[:port]");
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size " + partSize + " out of range [5 MiB, 5 GiB]"
                    + " (S3 rejects smaller parts)");
        }
        if (partSize > Integer.MAX_VALUE - 8) {
            // parts are buffered in memory as one array
            throw new IllegalArgumentException("S3 part size " + partSize + " too large to buffer (max 2 GiB)");
        }
    }

    /** AWS S3 through the default credentials chain, region from the SDK's chain. */
    public static S3Config defaults() {
        return new S3Config(null, null, false, Credentials.defaultChain(), DEFAULT_PART_SIZE);
    }

    /** From system properties and environment variables, as described in the class comment. */
    public static S3Config fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /** As {@link #fromEnvironment()}, from the given maps (for tests and for config files). */
    public static S3Config fromEnvironment(Map<String, String> env, Properties sys) {
        String endpointText = setting(env, sys, "detcon.s3.endpoint", "DETCON_S3_ENDPOINT");
        URI endpoint = null;
        if (endpointText != null) {
            try {
                endpoint = URI.create(endpointText.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid S3 endpoint '" + endpointText
                        + "' (DETCON_S3_ENDPOINT / detcon.s3.endpoint): " + e.getMessage(), e);
            }
        }
        String region = setting(env, sys, "detcon.s3.region", "DETCON_S3_REGION");
        if (region == null) {
            region = setting(env, sys, "aws.region", "AWS_REGION");
        }
        if (region == null) {
            region = setting(env, sys, null, "AWS_DEFAULT_REGION");
        }
        String pathStyleText = setting(env, sys, "detcon.s3.pathStyle", "DETCON_S3_PATH_STYLE");
        boolean pathStyle = pathStyleText == null ? endpoint != null : parseBoolean(pathStyleText,
                "DETCON_S3_PATH_STYLE / detcon.s3.pathStyle");
        String profile = setting(env, sys, "detcon.s3.profile", "DETCON_S3_PROFILE");
        String file = setting(env, sys, "detcon.s3.credentialsFile", "DETCON_S3_CREDENTIALS_FILE");
        Credentials credentials = profile == null ? Credentials.defaultChain()
                : new Profile(profile, file == null ? null : java.nio.file.Path.of(file));
        String partText = setting(env, sys, "detcon.s3.partSize", "DETCON_S3_PART_SIZE");
        long partSize = partText == null ? DEFAULT_PART_SIZE : parseSize(partText,
                "DETCON_S3_PART_SIZE / detcon.s3.partSize");
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    public S3Config withEndpoint(URI endpoint) {
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    public S3Config withRegion(String region) {
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    public S3Config withPathStyle(boolean pathStyle) {
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    public S3Config withCredentials(Credentials credentials) {
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    public S3Config withPartSize(long partSize) {
        return new S3Config(endpoint, region, pathStyle, credentials, partSize);
    }

    @Override
    public String toString() {
        return "S3Config[endpoint=" + (endpoint == null ? "(AWS)" : endpoint) + ", region="
                + (region == null ? "(default chain)" : region) + ", pathStyle=" + pathStyle + ", credentials="
                + credentials + ", partSize=" + partSize + "]";
    }

    private static String setting(Map<String, String> env, Properties sys, String property, String variable) {
        String v = property == null ? null : sys.getProperty(property);
        if (v == null || v.isBlank()) {
            v = env.get(variable);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static boolean parseBoolean(String s, String what) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes":
                return true;
            case "false", "0", "no":
                return false;
            default:
                throw new IllegalArgumentException("invalid " + what + " '" + s + "': expected true or false");
        }
    }

    static long parseSize(String s, String what) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        if (shift != 0) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t.trim());
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + s + "': expected bytes, e.g. 8388608 or 8m");
        }
    }

    /** Where credentials come from. Implementations never show secrets in {@code toString()}. */
    public sealed interface Credentials permits DefaultChain, Profile, Static {

        static Credentials defaultChain() {
            return DefaultChain.INSTANCE;
        }

        static Credentials profile(String name) {
            return new Profile(name);
        }

        /** Explicit keys; {@code sessionToken} may be null. */
        static Credentials of(String accessKeyId, String secretAccessKey, String sessionToken) {
            return new Static(accessKeyId, secretAccessKey, sessionToken);
        }
    }

    /** The AWS SDK's default credentials provider chain. */
    public enum DefaultChain implements Credentials {
        INSTANCE;

        @Override
        public String toString() {
            return "default-chain";
        }
    }

    /**
     * A named profile from the shared AWS config/credentials files, or from {@code file} (a credentials file in
     * AWS INI format) when it is not null. The file is read when a client is built, so it may appear later.
     */
    public record Profile(String name, java.nio.file.Path file) implements Credentials {
        public Profile {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("AWS profile name is empty");
            }
        }

        public Profile(String name) {
            this(name, null);
        }

        /** {@code NAME} or {@code NAME@FILE}. */
        @Override
        public String toString() {
            return file == null ? name : name + "@" + file;
        }
    }

    /** Explicit keys. {@code toString()} shows neither the secret nor the session token, only the key id's tail. */
    public record Static(String accessKeyId, String secretAccessKey, String sessionToken) implements Credentials {
        public Static {
            if (accessKeyId == null || accessKeyId.isEmpty() || secretAccessKey == null || secretAccessKey.isEmpty()) {
                throw new IllegalArgumentException("explicit S3 credentials need an access key id and a secret");
            }
        }

        @Override
        public String toString() {
            String tail = accessKeyId.length() > 4 ? accessKeyId.substring(accessKeyId.length() - 4) : "";
            return "static[accessKeyId=****" + tail + ", secretAccessKey=****"
                    + (sessionToken == null ? "" : ", sessionToken=****") + "]";
        }
    }
}
