package org.detcon.orchestration.runs;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a step's outputs are: a local path, or an object store URI ({@code s3://bucket/prefix}); the run store
 * records either (local ones under the working directory relative to it).
 */
public final class OutputLocation {

    // a scheme has at least two characters, as in ObjectStores (a Windows drive letter is a path)
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    private OutputLocation() {
    }

    /** Whether {@code uri} is a plain local path (no scheme). */
    public static boolean isLocal(String uri) {
        return !SCHEME.matcher(uri).matches();
    }

    /** {@code relative} ('/'-separated) under {@code root}, a local path or a URI. */
    public static String resolve(String root, String relative) {
        if (isLocal(root)) {
            return Path.of(root).resolve(relative).toString();
        }
        return root.replaceAll("/+$", "") + "/" + relative;
    }
}
