package org.detcon.eval.data;

import java.nio.file.Path;

/**
 * A dataset file that exists but cannot be used: its message names the file and the field (or aspect) at fault,
 * e.g. {@code .../2007_000032.png: label size: 500x374 but the image is 500x375}.
 */
public class MalformedDataException extends RuntimeException {

    private final transient Path file;
    private final String field;

    public MalformedDataException(Path file, String field, String detail) {
        this(file, field, detail, null);
    }

    public MalformedDataException(Path file, String field, String detail, Throwable cause) {
        super(file + ": " + field + ": " + detail, cause);
        this.file = file;
        this.field = field;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The field or aspect of the file at fault. */
    public String field() {
        return field;
    }
}
