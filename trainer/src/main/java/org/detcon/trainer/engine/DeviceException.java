package org.detcon.trainer.engine;

/**
 * A device that was asked for cannot be used; the message is one line, the device value first ({@code gpu: ...}),
 * saying what to install or set.
 */
public final class DeviceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }
}
