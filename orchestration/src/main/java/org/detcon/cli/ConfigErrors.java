package org.detcon.cli;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import org.detcon.core.config.YamlDocument;
import org.detcon.trainer.run.ConfigException;

/** A config error as one line naming the file, the line of the field when known, and the field. */
public final class ConfigErrors {

    private ConfigErrors() {
    }

    /** {@code e} (whose message starts with the dotted field) located in {@code doc} read from {@code file}. */
    public static UsageException of(YamlDocument doc, Path file, ConfigException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        if (doc != null && colon > 0 && msg.substring(0, colon).matches("[a-z_.]+")) {
            String field = msg.substring(0, colon);
            JsonPointer p = JsonPointer.compile("/" + field.replace(".", "/"));
            return new UsageException(doc.error(p, field, msg.substring(colon + 2)).getMessage());
        }
        return new UsageException((file == null ? "" : file + ": ") + msg);
    }
}
