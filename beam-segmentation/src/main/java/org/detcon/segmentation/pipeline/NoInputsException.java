package org.detcon.segmentation.pipeline;

import java.io.IOException;

/** A run found nothing to process (an empty folder, a COCO file without images); nothing was written. */
public final class NoInputsException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoInputsException(String message) {
        super(message);
    }
}
