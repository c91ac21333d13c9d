package org.detcon.core.coco;

import java.io.IOException;

/**
 * A COCO JSON file that does not have the expected structure. The message names the file, the element (e.g.
 * {@code annotations[12] (id 42)}), the field, and the line/column where parsing stopped.
 */
public final class CocoFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public CocoFormatException(String file, String field, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
        this.field = field;
    }

    /** The file, as given to the reader. */
    public String file() {
        return file;
    }

    /** The offending field's path, e.g. {@code annotations[12].bbox}; {@code null} for a top-level problem. */
    public String field() {
        return field;
    }
}
