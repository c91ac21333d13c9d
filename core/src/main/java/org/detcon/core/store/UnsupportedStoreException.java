package org.detcon.core.store;

/** The URI names a store this build cannot open (an unknown scheme, or s3:// before it is wired in). */
public class UnsupportedStoreException extends IllegalArgumentException {

    private final String uri;

    public UnsupportedStoreException(String uri, String message) {
        super(message);
        this.uri = uri;
    }

    public String uri() {
        return uri;
    }
}
