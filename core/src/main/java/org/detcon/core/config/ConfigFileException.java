package org.detcon.core.config;

/**
 * A config file that cannot be used, as one line: {@code FILE:LINE: KEY: what is wrong} (line and key left out
 * when unknown).
 */
public final class ConfigFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;

    public ConfigFileException(String file, int line, String key, String message) {
        super(format(file, line, key, message));
        this.file = file;
        this.line = line;
        this.key = key;
    }

    private static String format(String file, int line, String key, String message) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based, 0 when unknown. */
    public int line() {
        return line;
    }

    public String key() {
        return key;
    }
}
