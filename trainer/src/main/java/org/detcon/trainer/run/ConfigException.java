package org.detcon.trainer.run;

/** A training config is invalid; the message names the field ({@code optimizer.base_lr: ...}). */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
