package org.detcon.orchestration.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The run store, a database at a JDBC URL: an H2 file under the working directory by default
 * ({@code DIR/.detcon/runs.mv.db}, opened in H2's automatic mixed mode so that several local processes share it),
 * or PostgreSQL for a store shared by several machines ({@code jdbc:postgresql://HOST/DB?user=U&password=P}). One
 * row per run, one per step execution, one per step lease. A step row holds its cache key (sha256 of the step name
 * and its inputs' content hashes), the inputs, the outputs (name → URI, with each output's content hash for
 * verification), status, attempt number, timings, metrics, the error of a failed attempt and where it ran when
 * that was elsewhere ({@code placed}: a trainer service's URL and job id).
 *
 * <p><b>Leases.</b> A process runs a step only while it holds the step's lease ({@link #tryClaim}): a row naming the
 * owner (this store instance) and an expiry on the database's clock, renewed by a heartbeat every third of the
 * lease length while the store is open, released when the step ends. So two processes never run the same step at
 * once; a lease whose owner died (kill -9) expires and another process takes the step over, marking the dead
 * attempt INTERRUPTED. Runs have a heartbeat too: a RUNNING run whose heartbeat is older than a lease length is
 * INTERRUPTED. Nothing else marks a live peer's work as interrupted.
 *
 * <p>Statuses: runs RUNNING → DONE | FAILED | INTERRUPTED; steps RUNNING → DONE | FAILED | INTERRUPTED, or REUSED
 * (a DONE result of the same key whose outputs still verified). Methods are synchronized: a sweep records steps
 * from several threads.
 */
public final class RunStore implements AutoCloseable {

    public static final String DEFAULT_DIR = ".detcon";
    public static final String DEFAULT_NAME = "runs";
    /** Lease length unless {@code -Ddetcon.lease.seconds} says otherwise. */
    public static final double DEFAULT_LEASE_SECONDS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW_PLUS = "CURRENT_TIMESTAMP + CAST(? AS DOUBLE PRECISION) * INTERVAL '1' SECOND";

    private final Connection db;
    private final String described;
    private final String owner;
    private final double leaseSeconds;
    private final Set<String> held = new HashSet<>();
    private final Set<Long> liveRuns = new HashSet<>();
    private ScheduledExecutorService heartbeat;
    private Consumer<String> onLeaseLost = k -> { };

    /** A run. */
    public record Run(long id, String kind, String configHash, String status, Instant started, Instant finished,
            String note) {
    }

    /** A step execution. Outputs: name → URI; outputHashes: name → content hash. */
    public record StepRecord(long id, long runId, String name, String label, String key, Map<String, String> inputs,
            Map<String, String> outputs, Map<String, String> outputHashes, String status, int attempt,
            Instant started, Instant finished, Map<String, Double> metrics, String error, String placed) {
        public double seconds() {
            return finished == null || started == null ? Double.NaN
                    : (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        }
    }

    /** A step's lease: who holds it and for how many more seconds (by the database's clock). */
    public record Lease(String owner, double secondsLeft) {
    }

    private RunStore(Connection db, String described, double leaseSeconds) throws SQLException {
        this.db = db;
        this.described = described;
        this.leaseSeconds = leaseSeconds;
        this.owner = ownerId();
        RunStoreSchema.create(db, described.endsWith(".mv.db")
                ? Path.of(described.substring(0, described.length() - ".mv.db".length()) + ".schema.lock") : null);
    }

    /** "host:pid:random": who holds a lease, for people and for the database. */
    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The lease length of this process: {@code -Ddetcon.lease.seconds}, else {@link #DEFAULT_LEASE_SECONDS}. */
    public static double leaseSeconds() {
        String s = System.getProperty("detcon.lease.seconds");
        return s == null ? DEFAULT_LEASE_SECONDS : Double.parseDouble(s);
    }

    /** The default store of a working directory: {@code workDir/.detcon/runs.mv.db}. */
    public static RunStore openIn(Path workDir) {
        return open(workDir, null);
    }

    /** The store at {@code url} (a JDBC URL), or the working directory's default store when it is null. */
    public static RunStore open(Path workDir, String url) {
        if (url != null) {
            return connect(url, leaseSeconds());
        }
        Path base = workDir.resolve(DEFAULT_DIR).resolve(DEFAULT_NAME).toAbsolutePath();
        try {
            Files.createDirectories(base.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + base.getParent() + ": " + e.getMessage(), e);
        }
        return connect("jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0", leaseSeconds());
    }

    /** Whether the working directory's default store exists (nothing has run there otherwise). */
    public static boolean existsIn(Path workDir) {
        return Files.exists(workDir.resolve(DEFAULT_DIR).resolve(DEFAULT_NAME + ".mv.db"));
    }

    /** Connects to a store: {@code jdbc:h2:...} or {@code jdbc:postgresql://...}. */
    public static RunStore connect(String url, double leaseSeconds) {
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--store " + redact(url) + ": a run store is jdbc:postgresql://HOST/DB"
                    + " (or jdbc:h2:...); leave it out for the working directory's own store");
        }
        try {
            Connection c = url.startsWith("jdbc:h2:") ? h2(url) : DriverManager.getConnection(url);
            return new RunStore(c, url.startsWith("jdbc:h2:file:") ? url.substring("jdbc:h2:file:".length(),
                    url.indexOf(';') > 0 ? url.indexOf(';') : url.length()) + ".mv.db" : redact(url), leaseSeconds);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the run store " + redact(url) + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * Opens an H2 database, retrying for a while when another process is opening it at the same moment (its lock
     * file is being written: H2 refuses then, and the second try connects to the first one's server).
     */
    private static Connection h2(String url) throws SQLException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                return DriverManager.getConnection(url, "sa", "");
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100L + 100L * Math.min(attempt, 10) + (long) (Math.random() * 100));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The URL without its password. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Where the store is, for messages (a file, or the URL without its password). */
    public String describe() {
        return described;
    }

    public String owner() {
        return owner;
    }

    public double leaseLength() {
        return leaseSeconds;
    }

    /** Called (on the heartbeat thread) with the key of a lease this store held and another owner took. */
    public synchronized void onLeaseLost(Consumer<String> listener) {
        this.onLeaseLost = listener;
    }

    /**
     * Starts a run owned by this store (its heartbeat keeps it alive). Runs whose owners stopped beating are
     * INTERRUPTED first, with their RUNNING steps that no live lease covers.
     */
    public synchronized long startRun(String kind, String configHash, String note) {
        expireDead();
        for (int attempt = 0; ; attempt++) {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (id, kind, config_hash, status, started,"
                    + " note, owner, heartbeat) SELECT COALESCE(MAX(id), 0) + 1, ?, ?, 'RUNNING', CURRENT_TIMESTAMP,"
                    + " ?, ?, CURRENT_TIMESTAMP FROM runs")) {
                p.setString(1, kind);
                p.setString(2, configHash);
                p.setString(3, note);
                p.setString(4, owner);
                p.executeUpdate();
                long id;
                try (PreparedStatement q = db.prepareStatement("SELECT MAX(id) FROM runs WHERE owner = ?")) {
                    q.setString(1, owner);
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                }
                liveRuns.add(id);
                startHeartbeat();
                return id;
            } catch (SQLException e) {
                if (attempt >= 20 || !isConflict(e)) {
                    throw new IllegalStateException(e);
                }
                // another process took the same id: count again
            }
        }
    }

    public synchronized void finishRun(long runId, String status) {
        update("UPDATE runs SET status = ?, finished = CURRENT_TIMESTAMP WHERE id = ?", status, runId);
        liveRuns.remove(runId);
    }

    /** Marks the work of owners whose heartbeat stopped: their RUNNING runs, and RUNNING steps without a live lease. */
    public synchronized void expireDead() {
        try (PreparedStatement p = db.prepareStatement("UPDATE runs SET status = 'INTERRUPTED', finished ="
                + " COALESCE(heartbeat, started) WHERE status = 'RUNNING' AND (heartbeat IS NULL OR heartbeat < "
                + NOW_PLUS + ")")) {
            p.setDouble(1, -leaseSeconds);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        update("UPDATE steps SET status = 'INTERRUPTED' WHERE status = 'RUNNING' AND NOT EXISTS (SELECT 1 FROM leases l"
                + " WHERE l.step_key = steps.step_key AND l.owner = steps.owner AND l.expires > CURRENT_TIMESTAMP)");
    }

    // ---- leases

    /**
     * Claims the lease of {@code key} for this store: free, expired, or already ours. Returns false when a live
     * owner holds it. Claiming a step whose owner died marks that owner's RUNNING attempt INTERRUPTED.
     */
    public synchronized boolean tryClaim(String key) {
        try {
            int n;
            try (PreparedStatement p = db.prepareStatement("UPDATE leases SET owner = ?, acquired = CURRENT_TIMESTAMP,"
                    + " expires = " + NOW_PLUS + " WHERE step_key = ? AND (owner = ? OR expires < CURRENT_TIMESTAMP)")) {
                p.setString(1, owner);
                p.setDouble(2, leaseSeconds);
                p.setString(3, key);
                p.setString(4, owner);
                n = p.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO leases (step_key, owner, acquired, expires)"
                        + " VALUES (?, ?, CURRENT_TIMESTAMP, " + NOW_PLUS + ")")) {
                    p.setString(1, key);
                    p.setString(2, owner);
                    p.setDouble(3, leaseSeconds);
                    p.executeUpdate();
                } catch (SQLException e) {
                    if (isConflict(e)) {
                        return false;
                    }
                    throw e;
                }
            }
            held.add(key);
            update("UPDATE steps SET status = 'INTERRUPTED' WHERE step_key = ? AND status = 'RUNNING' AND (owner IS"
                    + " NULL OR owner <> ?)", key, owner);
            startHeartbeat();
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gives the lease of {@code key} up (when it is ours). */
    public synchronized void release(String key) {
        update("DELETE FROM leases WHERE step_key = ? AND owner = ?", key, owner);
        held.remove(key);
    }

    /** The live lease of {@code key}, if any. */
    public synchronized Optional<Lease> lease(String key) {
        try (PreparedStatement p = db.prepareStatement("SELECT owner, expires, CURRENT_TIMESTAMP FROM leases WHERE"
                + " step_key = ? AND expires > CURRENT_TIMESTAMP")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                long left = r.getTimestamp(2).getTime() - r.getTimestamp(3).getTime();
                return Optional.of(new Lease(r.getString(1), left / 1000.0));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startHeartbeat() {
        if (heartbeat != null) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "detcon-store-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, (long) (leaseSeconds * 1000 / 3));
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Renews this store's leases and runs; reports leases another owner took meanwhile. */
    private void beat() {
        List<String> lost = new ArrayList<>();
        Consumer<String> listener;
        synchronized (this) {
            try {
                try (PreparedStatement p = db.prepareStatement("UPDATE leases SET expires = " + NOW_PLUS
                        + " WHERE owner = ?")) {
                    p.setDouble(1, leaseSeconds);
                    p.setString(2, owner);
                    p.executeUpdate();
                }
                update("UPDATE runs SET heartbeat = CURRENT_TIMESTAMP WHERE owner = ? AND status = 'RUNNING'", owner);
                Set<String> mine = new HashSet<>();
                try (PreparedStatement p = db.prepareStatement("SELECT step_key FROM leases WHERE owner = ?")) {
                    p.setString(1, owner);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            mine.add(r.getString(1));
                        }
                    }
                }
                for (String k : held) {
                    if (!mine.contains(k)) {
                        lost.add(k);
                    }
                }
                held.removeAll(lost);
            } catch (SQLException | RuntimeException e) {
                return; // the next beat tries again (a lease outlives a missed beat)
            }
            listener = onLeaseLost;
        }
        lost.forEach(listener);
    }

    private static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    // ---- steps

    /** Inserts a RUNNING step row owned by this store; returns its id. */
    synchronized long startStep(long runId, String name, String label, String key, Map<String, String> inputs,
            int attempt) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO steps (run_id, name, label, step_key, inputs,"
                + " status, attempt, started, owner) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, CURRENT_TIMESTAMP, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, runId);
            p.setString(2, name);
            p.setString(3, label);
            p.setString(4, key);
            p.setString(5, json(inputs));
            p.setInt(6, attempt);
            p.setString(7, owner);
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
        update("UPDATE steps SET status = ?, finished = CURRENT_TIMESTAMP, outputs = ?, output_hashes = ?, metrics = ?,"
                + " error = ? WHERE id = ?", status, json(outputs), json(hashes), json(metrics),
                error == null || error.length() < 10000 ? error : error.substring(0, 10000), stepId);
    }

    /** Records where step {@code stepId} runs (a trainer service's URL and job id). */
    synchronized void place(long stepId, String where) {
        update("UPDATE steps SET placed = ? WHERE id = ?", where, stepId);
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

    /** Every run, oldest first (runs whose owner stopped beating shown INTERRUPTED). */
    public synchronized List<Run> runs() {
        expireDead();
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
                            r.getString("label"), r.getString("step_key"), map(r.getString("inputs")),
                            map(r.getString("outputs")), map(r.getString("output_hashes")), r.getString("status"),
                            r.getInt("attempt"), instant(r.getTimestamp("started")),
                            instant(r.getTimestamp("finished")), metrics(r.getString("metrics")),
                            r.getString("error"), r.getString("placed")));
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

    /** Stops the heartbeat and gives up this store's leases (its runs were finished by their owners). */
    @Override
    public void close() {
        ScheduledExecutorService hb;
        synchronized (this) {
            hb = heartbeat;
            heartbeat = null;
        }
        if (hb != null) {
            hb.shutdownNow();
            try {
                hb.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            try {
                if (!held.isEmpty()) {
                    update("DELETE FROM leases WHERE owner = ?", owner);
                    held.clear();
                }
                db.close();
            } catch (SQLException | RuntimeException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
