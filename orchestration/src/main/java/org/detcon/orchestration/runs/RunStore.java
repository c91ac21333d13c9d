package org.detcon.orchestration.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The run store: an embedded H2 database file ({@code DIR/.detcon/runs.mv.db} by default) with one row per run
 * and one per step execution. A step row holds its cache key (sha256 of the step name and its inputs' content
 * hashes), the inputs, the outputs (name → URI, with each output's content hash for verification), status,
 * attempt number, timings, metrics and the error of a failed attempt.
 *
 * <p>Statuses: runs RUNNING → DONE | FAILED (or INTERRUPTED, set when a later run finds it still RUNNING after
 * its process died); steps RUNNING → DONE | FAILED | INTERRUPTED, or REUSED (a DONE result of the same key whose
 * outputs still verified). A step row also has a label for people ({@code pretrain method=byol seed=1}).
 *
 * <p>One process writes at a time; others may read meanwhile ({@code detcon sweep status} while a sweep runs): the
 * database is opened with H2's automatic mixed mode, so a second process connects through the first one's
 * loopback server. Methods are synchronized: a sweep records steps from several threads.
 */
public final class RunStore implements AutoCloseable {

    public static final String DEFAULT_DIR = ".detcon";
    public static final String DEFAULT_NAME = "runs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection db;
    private final Path file;

    /** A run. */
    public record Run(long id, String kind, String configHash, String status, Instant started, Instant finished,
            String note) {
    }

    /** A step execution. Outputs: name → URI; outputHashes: name → content hash. */
    public record StepRecord(long id, long runId, String name, String label, String key, Map<String, String> inputs,
            Map<String, String> outputs, Map<String, String> outputHashes, String status, int attempt,
            Instant started, Instant finished, Map<String, Double> metrics, String error) {
        public double seconds() {
            return finished == null || started == null ? Double.NaN
                    : (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        }
    }

    private RunStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /** The store under {@code workDir}: {@code workDir/.detcon/runs.mv.db}. */
    public static RunStore openIn(Path workDir) {
        return open(workDir.resolve(DEFAULT_DIR).resolve(DEFAULT_NAME));
    }

    /** Opens (creating) the database whose file is {@code base + ".mv.db"}. */
    public static RunStore open(Path base) {
        try {
            Path abs = base.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Connection c = DriverManager.getConnection("jdbc:h2:file:" + abs + ";AUTO_SERVER=TRUE",
                    "sa", "");
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS runs (id BIGINT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(200),"
                        + " config_hash VARCHAR(100), status VARCHAR(20), started TIMESTAMP, finished TIMESTAMP,"
                        + " note CLOB)");
                s.execute("CREATE TABLE IF NOT EXISTS steps (id BIGINT AUTO_INCREMENT PRIMARY KEY, run_id BIGINT,"
                        + " name VARCHAR(500), step_key VARCHAR(100), inputs CLOB, outputs CLOB, output_hashes CLOB,"
                        + " status VARCHAR(20), attempt INT, started TIMESTAMP, finished TIMESTAMP, metrics CLOB,"
                        + " error CLOB)");
                s.execute("ALTER TABLE steps ADD COLUMN IF NOT EXISTS label VARCHAR(1000)");
                s.execute("CREATE INDEX IF NOT EXISTS steps_key ON steps(step_key)");
                s.execute("CREATE INDEX IF NOT EXISTS steps_run ON steps(run_id)");
            }
            return new RunStore(c, Path.of(abs + ".mv.db"));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the run store " + base + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Starts a run; any run still marked RUNNING (its process died) becomes INTERRUPTED, with its steps. */
    public synchronized long startRun(String kind, String configHash, String note) {
        try {
            try (Statement s = db.createStatement()) {
                s.executeUpdate("UPDATE steps SET status = 'INTERRUPTED' WHERE status = 'RUNNING'");
                s.executeUpdate("UPDATE runs SET status = 'INTERRUPTED' WHERE status = 'RUNNING'");
            }
            long id;
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM runs")) {
                r.next();
                id = r.getLong(1); // dense ids (H2's identity cache skips ahead after a kill)
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (id, kind, config_hash, status, started,"
                    + " note) VALUES (?, ?, ?, 'RUNNING', ?, ?)")) {
                p.setLong(1, id);
                p.setString(2, kind);
                p.setString(3, configHash);
                p.setTimestamp(4, Timestamp.from(Instant.now()));
                p.setString(5, note);
                p.executeUpdate();
                return id;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void finishRun(long runId, String status) {
        update("UPDATE runs SET status = ?, finished = ? WHERE id = ?", status, Timestamp.from(Instant.now()), runId);
    }

    /** Inserts a RUNNING step row; returns its id. */
    synchronized long startStep(long runId, String name, String label, String key, Map<String, String> inputs,
            int attempt) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO steps (run_id, name, label, step_key, inputs,"
                + " status, attempt, started) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, runId);
            p.setString(2, name);
            p.setString(3, label);
            p.setString(4, key);
            p.setString(5, json(inputs));
            p.setInt(6, attempt);
            p.setTimestamp(7, Timestamp.from(Instant.now()));
            p.executeUpdate();
            try (ResultSet k = p.getGeneratedKeys()) {
                k.next();
                return k.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void finishStep(long stepId, String status, Map<String, String> outputs, Map<String, String> hashes,
            Map<String, Double> metrics, String error) {
        update("UPDATE steps SET status = ?, finished = ?, outputs = ?, output_hashes = ?, metrics = ?, error = ?"
                + " WHERE id = ?", status, Timestamp.from(Instant.now()), json(outputs), json(hashes), json(metrics),
                error, stepId);
    }

    /** Records a reused step (copying the outputs and metrics of {@code from}) under {@code label}. */
    synchronized void recordReuse(long runId, String label, StepRecord from) {
        long id = startStep(runId, from.name(), label, from.key(), from.inputs(), 0);
        finishStep(id, "REUSED", from.outputs(), from.outputHashes(), from.metrics(), null);
    }

    /** The newest DONE execution of {@code key}, if any. */
    synchronized Optional<StepRecord> lastDone(String key) {
        List<StepRecord> r = query("SELECT * FROM steps WHERE step_key = ? AND status = 'DONE' ORDER BY id DESC", key);
        return r.stream().findFirst();
    }

    /** Every record of {@code key} (executions and reuses), oldest first. */
    public synchronized List<StepRecord> history(String key) {
        return query("SELECT * FROM steps WHERE step_key = ? ORDER BY id", key);
    }

    /** How many attempts {@code key} had (executions, not reuses). */
    synchronized int attempts(String key) {
        try (PreparedStatement p = db.prepareStatement("SELECT COALESCE(MAX(attempt), 0) FROM steps WHERE step_key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized List<Run> runs() {
        List<Run> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM runs ORDER BY id")) {
            while (r.next()) {
                out.add(run(r));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public Optional<Run> run(long id) {
        return runs().stream().filter(r -> r.id() == id).findFirst();
    }

    public synchronized List<StepRecord> steps(long runId) {
        return query("SELECT * FROM steps WHERE run_id = ? ORDER BY id", runId);
    }

    private static Run run(ResultSet r) throws SQLException {
        return new Run(r.getLong("id"), r.getString("kind"), r.getString("config_hash"), r.getString("status"),
                instant(r.getTimestamp("started")), instant(r.getTimestamp("finished")), r.getString("note"));
    }

    private List<StepRecord> query(String sql, Object arg) {
        List<StepRecord> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setObject(1, arg);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new StepRecord(r.getLong("id"), r.getLong("run_id"), r.getString("name"),
                            r.getString("label"), r.getString("step_key"), map(r.getString("inputs")), map(r.getString("outputs")),
                            map(r.getString("output_hashes")), r.getString("status"), r.getInt("attempt"),
                            instant(r.getTimestamp("started")), instant(r.getTimestamp("finished")),
                            metrics(r.getString("metrics")), r.getString("error")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String json(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(o instanceof Map<?, ?> m ? new TreeMap<>(m) : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> map(String s) {
        if (s == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(s, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> metrics(String s) {
        if (s == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(s, new TypeReference<LinkedHashMap<String, Double>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
