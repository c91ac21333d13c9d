package org.detcon.cli;

/** A command was given arguments it cannot work with; the message says which and what to do instead. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
