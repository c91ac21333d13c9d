package org.detcon.segmentation.pipeline;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.core.store.s3.S3Config;

/** Object stores for a job: {@link StoreOptions} turned into S3 settings, and back. */
public final class PipelineStores {

    private PipelineStores() {
    }

    /** The S3 settings of a job: its options, and the environment of the process it runs in for what is unset. */
    public static S3Config s3Config(PipelineOptions options) {
        StoreOptions o = options.as(StoreOptions.class);
        S3Config c = S3Config.fromEnvironment();
        if (o.getS3Endpoint() != null && !o.getS3Endpoint().isBlank()) {
            URI endpoint;
            try {
                endpoint = URI.create(o.getS3Endpoint().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--s3Endpoint '" + o.getS3Endpoint() + "' is not a URI", e);
            }
            c = c.withEndpoint(endpoint).withPathStyle(true);
        }
        if (o.getS3Region() != null && !o.getS3Region().isBlank()) {
            c = c.withRegion(o.getS3Region().trim());
        }
        if (o.getS3PathStyle() != null) {
            c = c.withPathStyle(o.getS3PathStyle());
        }
        S3Config.Credentials credentials = credentials(o.getS3Credentials());
        return credentials == null ? c : c.withCredentials(credentials);
    }

    /**
     * Parses {@code --s3Credentials}: null for {@code default} when the worker's environment names a profile (kept
     * then), the default chain for {@code default} otherwise, or a profile.
     */
    private static S3Config.Credentials credentials(String source) {
        String s = source == null ? "default" : source.trim();
        if (s.equalsIgnoreCase("default")) {
            return null;
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("profile:")) {
            String rest = s.substring("profile:".length());
            int at = rest.indexOf('@');
            return at < 0 ? new S3Config.Profile(rest) : new S3Config.Profile(rest.substring(0, at),
                    Path.of(rest.substring(at + 1)));
        }
        throw new IllegalArgumentException("--s3Credentials must be default, profile:NAME or profile:NAME@FILE, got '"
                + source + "' (secrets never go into pipeline options)");
    }

    /** Copies the S3 settings of {@code env} (this process's) into the options that are still unset. */
    public static void fillFrom(S3Config env, PipelineOptions options) {
        StoreOptions o = options.as(StoreOptions.class);
        if (o.getS3Endpoint() == null && env.endpoint() != null) {
            o.setS3Endpoint(env.endpoint().toString());
        }
        if (o.getS3Region() == null && env.region() != null) {
            o.setS3Region(env.region());
        }
        if (o.getS3PathStyle() == null && env.endpoint() != null) {
            o.setS3PathStyle(env.pathStyle());
        }
        if ("default".equals(o.getS3Credentials()) && env.credentials() instanceof S3Config.Profile p) {
            o.setS3Credentials("profile:" + p);
        }
    }

    /** Opens an object store for a URI with the job's S3 settings. */
    public static ObjectStore open(String uri, PipelineOptions options) {
        return ObjectStores.open(uri, uri.regionMatches(true, 0, "s3:", 0, 3) ? s3Config(options) : null);
    }
}
