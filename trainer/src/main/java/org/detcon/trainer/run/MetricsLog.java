package org.detcon.trainer.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;

/**
 * A run's {@code metrics.jsonl} in its output store. Opening drops the lines of steps at or after the step the run
 * resumes from (left by a run that stopped after its last checkpoint) and a torn last line. On a local store each
 * line is appended and flushed at once (so {@code tail -f} follows the run); an object store has no append, so
 * there the whole object is republished at each {@link #publish()} (the run calls it with every checkpoint) and on
 * {@link #close()}.
 */
final class MetricsLog implements Closeable {

    static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final List<String> lines;
    private final BufferedWriter local;
    private boolean dirty;

    private MetricsLog(ObjectStore store, List<String> lines, BufferedWriter local) {
        this.store = store;
        this.lines = lines;
        this.local = local;
    }

    /** Opens the log of {@code store} for a run resuming at step {@code start} (0 for a fresh run). */
    static MetricsLog open(ObjectStore store, long start) throws IOException {
        List<String> keep = new ArrayList<>();
        if (store.exists(FILE)) {
            String text = new String(store.readAllBytes(FILE), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) < start) {
                        keep.add(line);
                    }
                } catch (IOException e) {
                    // a torn last line: drop it
                }
            }
        }
        store.write(FILE, join(keep));
        if (store instanceof LocalObjectStore l) {
            BufferedWriter w = Files.newBufferedWriter(l.path(FILE), StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            return new MetricsLog(store, null, w);
        }
        return new MetricsLog(store, keep, null);
    }

    void append(String jsonLine) throws IOException {
        if (local != null) {
            local.write(jsonLine);
            local.newLine();
            local.flush();
        } else {
            lines.add(jsonLine);
            dirty = true;
        }
    }

    /** Makes every appended line visible in the store. */
    void publish() throws IOException {
        if (local == null && dirty) {
            store.write(FILE, join(lines));
            dirty = false;
        }
    }

    @Override
    public void close() throws IOException {
        if (local != null) {
            local.close();
        } else {
            publish();
        }
    }

    private static byte[] join(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
