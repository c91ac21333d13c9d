package org.detcon.core.image;

import java.util.Objects;

/**
 * An input could not be decoded into an {@link Image8}. Carries the input's name (file name, path or URI, as the
 * caller gave it) and a {@link Reason} suitable for dead-letter listings; the message says what was wrong with
 * which input and what to do about it.
 */
public final class ImageDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an input was rejected. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY("the input is empty; check that it was written/downloaded completely"),
        /** The data ends early (missing end marker, cut-off chunk or scan). */
        TRUNCATED("the data ends early; the file is incomplete, re-download or re-export it"),
        /** The structure is damaged (bad markers, checksums, compressed data, inconsistent header). */
        CORRUPT("the data is damaged; re-export the image or drop it from the dataset"),
        /** Not a JPEG or PNG (identified by content, not by name). */
        UNSUPPORTED_FORMAT("only JPEG and PNG are supported; convert the image to one of them"),
        /** A JPEG/PNG variant the decoder cannot handle (e.g. an unusual JPEG coding process). */
        UNSUPPORTED_VARIANT("this JPEG/PNG variant is not supported; re-encode it as baseline JPEG or 8-bit PNG"),
        /** Larger than {@link DecodeLimits} allows. */
        TOO_LARGE("the image exceeds the configured decode limits; downscale it or raise DecodeLimits"),
        /** The input could not be read (missing file, permission, I/O error). */
        UNREADABLE("the input could not be read; check that it exists and is readable");

        private final String advice;

        Reason(String advice) {
            this.advice = advice;
        }

        /** What to do about an input rejected for this reason. */
        public String advice() {
            return advice;
        }
    }

    private final String input;
    private final Reason reason;
    private final String detail;

    public ImageDecodeException(String input, Reason reason, String detail) {
        this(input, reason, detail, null);
    }

    public ImageDecodeException(String input, Reason reason, String detail, Throwable cause) {
        super("cannot decode image '" + input + "' (" + Objects.requireNonNull(reason, "reason") + "): " + detail
                + "; " + reason.advice(), cause);
        this.input = input;
        this.reason = reason;
        this.detail = detail;
    }

    /** The input's name, path or URI as given to the decoder. */
    public String input() {
        return input;
    }

    public Reason reason() {
        return reason;
    }

    /** What was wrong, without the input name and advice. */
    public String detail() {
        return detail;
    }
}
