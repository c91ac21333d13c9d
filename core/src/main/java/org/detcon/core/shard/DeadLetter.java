package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.store.AtomicOutputStream;
import org.detcon.core.store.ObjectStore;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rejected input and why, one line of {@code _dead_letters.jsonl}: {@code {"input":"<uri>","reason":"<text>"}}.
 */
public record DeadLetter(String input, String reason) {

    /** The dead-letter listing's key in a dataset directory. */
    public static final String FILE_NAME = "_dead_letters.jsonl";

    public DeadLetter {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(reason, "reason");
    }

    /** One JSON line (no newline), fields in the order input, reason. */
    public String toJsonLine() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("input", input);
        o.put("reason", reason);
        return o.toString();
    }

    /** Writes {@code letters} as {@code _dead_letters.jsonl} (published atomically). */
    public static void writeAll(ObjectStore store, List<DeadLetter> letters) throws IOException {
        try (Writer w = Writer.create(store)) {
            for (DeadLetter d : letters) {
                w.write(d);
            }
        }
    }

    /** Reads {@code _dead_letters.jsonl}; {@link java.nio.file.NoSuchFileException} when there is none. */
    public static List<DeadLetter> readAll(ObjectStore store) throws IOException {
        try (InputStream in = store.openRead(FILE_NAME)) {
            return read(in, store.uri(FILE_NAME));
        }
    }

    /** Reads {@code _dead_letters.jsonl}, or an empty list when the store has none. */
    public static List<DeadLetter> readIfPresent(ObjectStore store) throws IOException {
        return store.exists(FILE_NAME) ? readAll(store) : List.of();
    }

    /** Parses JSON lines; blank lines are skipped; {@code what} names the source in errors (with line numbers). */
    public static List<DeadLetter> read(InputStream in, String what) throws IOException {
        List<DeadLetter> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
            no++;
            if (line.isBlank()) {
                continue;
            }
            String w = what + " line " + no;
            JsonNode o = Json.parse(line.getBytes(StandardCharsets.UTF_8), w);
            if (!o.isObject()) {
                throw new IOException(w + ": expected a JSON object");
            }
            out.add(new DeadLetter(Json.text(o, "input", w), Json.text(o, "reason", w)));
        }
        return out;
    }

    /** Streams dead letters to {@code _dead_letters.jsonl}; published atomically on close. */
    public static final class Writer implements Closeable {
        private final AtomicOutputStream out;
        private long count;

        private Writer(AtomicOutputStream out) {
            this.out = out;
        }

        public static Writer create(ObjectStore store) throws IOException {
            return new Writer(store.create(FILE_NAME));
        }

        public void write(DeadLetter d) throws IOException {
            out.write((d.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
            count++;
        }

        public long count() {
            return count;
        }

        /** Discards the listing. */
        public void abort() throws IOException {
            out.abort();
        }

        /** Publishes the listing (the store refuses to publish after a failed write). */
        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
