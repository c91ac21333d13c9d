package org.detcon.orchestration.nightly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.detcon.core.hash.ContentHash;

/**
 * A blessed nightly result ({@code sweeps/nightly-cpu.baseline.json}): an {@link Observation} with the bands used on
 * other platforms, the sha256 of the baseline it replaced and the reason it was blessed. {@code detcon nightly
 * bless} writes it; {@code nightly run} and {@code check} only read it.
 */
public record Baseline(String format, Observation observation, Bands bands, String previousSha256, String reason,
        String blessed) {

    public static final String FORMAT = "detcon-nightly-baseline/1";

    public static Baseline read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no baseline at " + file + ": run the nightly once and bless it (detcon nightly"
                    + " bless DIR --baseline " + file + " --reason \"first baseline\")");
        }
        Baseline b = Observation.JSON.readValue(file.toFile(), Baseline.class);
        if (!FORMAT.equals(b.format())) {
            throw new IOException(file + ": unknown format " + b.format() + ", expected " + FORMAT);
        }
        return b;
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Observation.JSON.writeValueAsBytes(this));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** sha256 of a baseline file's bytes (what the next baseline records as its predecessor). */
    public static String sha256(Path file) throws IOException {
        return ContentHash.sha256Hex(file);
    }
}
