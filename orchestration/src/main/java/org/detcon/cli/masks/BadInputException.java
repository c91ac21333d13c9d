package org.detcon.cli.masks;

/** An input image could not be used; the message names the input and the reason. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
