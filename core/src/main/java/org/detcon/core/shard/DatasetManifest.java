package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code _manifest.json}, the last file written to a dataset directory:
 * <pre>{
 *   "format" : "detcon-shards/1",
 *   "code_version" : "0.1.0-SNAPSHOT+abc123",
 *   "config_sha256" : "&lt;sha256 of the canonical JSON of config&gt;",
 *   "config" : { ... },
 *   "shards" : [ {"name":"shard-000000.tar","samples":1000,"bytes":123453440,"sha256":"..."}, ... ],
 *   "totals" : {"shards":1,"samples":1000,"bytes":123453440,"rejected":3,"inputs":1003}
 * }</pre>
 * Totals are derived from the shards and {@code rejected}; reading checks that they and the config hash agree.
 */
public record DatasetManifest(JsonNode config, String configSha256, String codeVersion, List<ShardInfo> shards,
                              long rejected) {

    public static final String FILE_NAME = "_manifest.json";
    public static final String FORMAT = "detcon-shards/1";

    public DatasetManifest {
        Objects.requireNonNull(config, "config");
        config = config.deepCopy();
        Objects.requireNonNull(codeVersion, "codeVersion");
        String expected = ContentHash.configHash(config);
        if (!expected.equals(configSha256)) {
            throw new IllegalArgumentException("config_sha256 " + configSha256 + " does not match the config (its"
                    + " canonical JSON hashes to " + expected + ")");
        }
        shards = List.copyOf(shards);
        Set<String> names = new HashSet<>();
        for (ShardInfo s : shards) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("shard " + s.name() + " listed twice");
            }
        }
        if (rejected < 0) {
            throw new IllegalArgumentException("rejected must be >= 0");
        }
    }

    /** A manifest for {@code config}, hashing it. */
    public static DatasetManifest of(JsonNode config, String codeVersion, List<ShardInfo> shards, long rejected) {
        return new DatasetManifest(config, ContentHash.configHash(config), codeVersion, shards, rejected);
    }

    @Override
    public JsonNode config() {
        return config.deepCopy();
    }

    public long samples() {
        return shards.stream().mapToLong(ShardInfo::samples).sum();
    }

    public long bytes() {
        return shards.stream().mapToLong(ShardInfo::bytes).sum();
    }

    /**
     * What the dataset holds, independent of where it is and of what made it: sha256 of the canonical JSON of the
     * shard list (name, samples, bytes, sha256 of each shard). Training runs are identified by it, so a moved
     * dataset keeps its runs. (The manifest's own bytes also carry the code version and the config, with its
     * source paths.)
     */
    public String contentHash() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (ShardInfo s : shards) {
            a.addObject().put("name", s.name()).put("samples", s.samples()).put("bytes", s.bytes())
                    .put("sha256", s.sha256());
        }
        return ContentHash.configHash(a);
    }

    /** Inputs seen: samples written plus inputs rejected. */
    public long inputs() {
        return samples() + rejected;
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("format", FORMAT);
        o.put("code_version", codeVersion);
        o.put("config_sha256", configSha256);
        o.set("config", config.deepCopy());
        ArrayNode a = o.putArray("shards");
        for (ShardInfo s : shards) {
            ObjectNode so = a.addObject();
            so.put("name", s.name());
            so.put("samples", s.samples());
            so.put("bytes", s.bytes());
            so.put("sha256", s.sha256());
        }
        ObjectNode t = o.putObject("totals");
        t.put("shards", shards.size());
        t.put("samples", samples());
        t.put("bytes", bytes());
        t.put("rejected", rejected);
        t.put("inputs", inputs());
        return o;
    }

    /** Pretty-printed JSON with a fixed field order (deterministic), newline-terminated. */
    public byte[] toBytes() {
        try {
            String s = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n";
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DatasetManifest fromBytes(byte[] json, String what) throws IOException {
        JsonNode o = Json.parse(json, what);
        if (!o.isObject()) {
            throw new IOException(what + ": expected a JSON object");
        }
        String format = Json.text(o, "format", what);
        if (!FORMAT.equals(format)) {
            throw new IOException(what + ": unsupported manifest format '" + format + "' (expected " + FORMAT + ")");
        }
        JsonNode arr = Json.field(o, "shards", what);
        if (!arr.isArray()) {
            throw new IOException(what + ": \"shards\" must be a list");
        }
        List<ShardInfo> shards = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode s = arr.get(i);
            String w = what + " shard " + i;
            try {
                shards.add(new ShardInfo(Json.text(s, "name", w), Json.integer(s, "samples", w),
                        Json.integer(s, "bytes", w), Json.text(s, "sha256", w)));
            } catch (IllegalArgumentException e) {
                throw new IOException(w + ": " + e.getMessage(), e);
            }
        }
        JsonNode totals = Json.field(o, "totals", what);
        DatasetManifest m;
        try {
            m = new DatasetManifest(Json.field(o, "config", what), Json.text(o, "config_sha256", what),
                    Json.text(o, "code_version", what), shards, Json.integer(totals, "rejected", what + " totals"));
        } catch (IllegalArgumentException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
        String[] fields = {"shards", "samples", "bytes", "inputs"};
        long[] values = {shards.size(), m.samples(), m.bytes(), m.inputs()};
        for (int i = 0; i < fields.length; i++) {
            long v = Json.integer(totals, fields[i], what + " totals");
            if (v != values[i]) {
                throw new IOException(what + ": totals." + fields[i] + " is " + v + " but the shards add up to "
                        + values[i]);
            }
        }
        return m;
    }

    /** Publishes {@code _manifest.json} atomically. */
    public void write(ObjectStore store) throws IOException {
        store.write(FILE_NAME, toBytes());
    }

    public static DatasetManifest read(ObjectStore store) throws IOException {
        return fromBytes(store.readAllBytes(FILE_NAME), store.uri(FILE_NAME));
    }

    /** The outcome of {@link #verify}: one line per problem found; empty when the dataset matches. */
    public record Verification(List<String> problems) {
        public Verification {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Re-reads every listed shard from {@code store} and checks its size, SHA-256 and sample count (parsing every
     * sample), that no unlisted {@code .tar} file lies in the store, and that the dead-letter listing has
     * {@code rejected} lines. Never throws for a bad shard: each problem is reported.
     */
    public Verification verify(ObjectStore store) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (ShardInfo s : shards) {
            listed.add(s.name());
            verifyShard(store, s, problems);
        }
        for (String key : store.list("")) {
            if (key.endsWith(".tar") && !listed.contains(key)) {
                problems.add(key + ": shard file not listed in the manifest");
            }
        }
        if (rejected > 0 || store.exists(DeadLetter.FILE_NAME)) {
            try {
                long n = DeadLetter.readAll(store).size();
                if (n != rejected) {
                    problems.add(DeadLetter.FILE_NAME + ": has " + n + " entries but the manifest counts " + rejected
                            + " rejected inputs");
                }
            } catch (IOException e) {
                problems.add(DeadLetter.FILE_NAME + ": unreadable: " + e.getMessage());
            }
        }
        return new Verification(problems);
    }

    private static void verifyShard(ObjectStore store, ShardInfo s, List<String> problems) throws IOException {
        if (!store.exists(s.name())) {
            problems.add(s.name() + ": missing");
            return;
        }
        long size = store.size(s.name());
        if (size != s.bytes()) {
            problems.add(s.name() + ": size " + size + " bytes, manifest says " + s.bytes());
        }
        MessageDigest md = ContentHash.newSha256();
        long samples = 0;
        String tarProblem = null;
        try (InputStream raw = store.openRead(s.name());
             DigestInputStream in = new DigestInputStream(raw, md)) {
            ShardReader r = new ShardReader(in, s.name());
            try {
                while (r.hasNext()) {
                    r.next();
                    samples++;
                }
            } catch (ShardFormatException e) {
                tarProblem = e.getMessage();
            }
            in.transferTo(java.io.OutputStream.nullOutputStream()); // hash the rest (end blocks, padding)
        }
        String sha = ContentHash.hex(md.digest());
        if (!sha.equals(s.sha256())) {
            problems.add(s.name() + ": sha256 " + sha + ", manifest says " + s.sha256());
        }
        if (tarProblem != null) {
            problems.add(s.name() + ": unreadable: " + tarProblem);
        } else if (samples != s.samples()) {
            problems.add(s.name() + ": " + samples + " samples, manifest says " + s.samples());
        }
    }
}
