package org.detcon.core.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.detcon.core.store.s3.S3Config;
import org.detcon.core.store.s3.S3ObjectStore;

/** Opens an {@link ObjectStore} from a URI, dispatching on its scheme. */
public final class ObjectStores {

    // A scheme has at least two characters, so a Windows drive letter ("C:") is read as a path.
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    private ObjectStores() {
    }

    /**
     * Opens the store rooted at {@code uri}: a plain path ({@code /data/ds}, {@code data/ds}) or a {@code file:} URI
     * ({@code file:/data/ds}, {@code file:///data/ds}, {@code file:data/ds}) give a {@link LocalObjectStore};
     * {@code s3://bucket/prefix} an {@link S3ObjectStore} configured from the environment (see
     * {@link org.detcon.core.store.s3.S3Config#fromEnvironment()}); any other scheme is refused with an
     * {@link UnsupportedStoreException} naming the URI.
     */
    public static ObjectStore open(String uri) {
        return open(uri, null);
    }

    /**
     * As {@link #open(String)}, with {@code s3} (when not null) instead of the environment's S3 settings: for code
     * that receives its settings with a job rather than from the process it runs in.
     */
    public static ObjectStore open(String uri, S3Config s3) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("object store URI must not be empty");
        }
        Matcher m = SCHEME.matcher(uri);
        if (!m.find()) {
            return new LocalObjectStore(Path.of(uri));
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                return new LocalObjectStore(filePath(uri));
            case "s3":
                return s3 == null ? S3ObjectStore.forUri(uri) : S3ObjectStore.forUri(uri, s3);
            default:
                throw new UnsupportedStoreException(uri, "unsupported object store scheme '" + scheme
                        + ":' in '" + uri + "'; supported: plain paths, file: and s3:// URIs");
        }
    }

    /**
     * The bytes of the one object at {@code uri} (a file's path, or an object's URI: its store is the URI up to the
     * last '/'), or empty when there is none.
     */
    public static Optional<byte[]> read(String uri) throws IOException {
        int slash = uri.lastIndexOf('/');
        if (slash <= 0 || slash == uri.length() - 1) {
            throw new IllegalArgumentException("not the location of an object: '" + uri + "'");
        }
        try (ObjectStore st = open(uri.substring(0, slash))) {
            String name = uri.substring(slash + 1);
            return st.exists(name) ? Optional.of(st.readAllBytes(name)) : Optional.empty();
        }
    }

    /**
     * The local folder {@code uri} names (a plain path or a {@code file:} URI, as {@link #open} reads them), or null
     * when it is an object store's URI ({@code s3://...}).
     */
    public static Path localPath(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("object store URI must not be empty");
        }
        Matcher m = SCHEME.matcher(uri);
        if (!m.find()) {
            return Path.of(uri);
        }
        return m.group(1).equalsIgnoreCase("file") ? filePath(uri) : null;
    }

    private static Path filePath(String uri) {
        String rest = uri.substring("file:".length());
        if (!rest.startsWith("/")) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("file: URI has no path: '" + uri + "'");
            }
            return Path.of(rest); // file:relative/path
        }
        if (rest.startsWith("//")) {
            String afterAuthority = rest.substring(2);
            int slash = afterAuthority.indexOf('/');
            String host = slash < 0 ? afterAuthority : afterAuthority.substring(0, slash);
            if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new UnsupportedStoreException(uri, "file: URI with a remote host '" + host
                        + "' is not supported: '" + uri + "'");
            }
            rest = slash < 0 ? "/" : afterAuthority.substring(slash);
        }
        try {
            return Path.of(new URI("file://" + rest)); // decodes %20 and friends the way URIs mean them
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Path.of(rest); // not a well-formed URI (e.g. a raw space): take the path literally
        }
    }
}
