package org.detcon.service.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service's job table: an embedded H2 file database ({@code STATE/jobs.mv.db}) held open by one service at a
 * time (a second service on the same state folder fails to open it). Every change is written at once
 * ({@code WRITE_DELAY=0}), so a service killed with kill -9 finds its jobs as they were.
 */
public final class JobStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, kind, config, config_hash, submission_id, priority, max_restarts,"
            + " labels, status, attempt, slot, device, pid, pid_started, submitted_at, started_at, finished_at, step,"
            + " total, loss, img_per_s, output_uri, result_uri, error";

    private final Connection c;

    private JobStore(Connection c) {
        this.c = c;
    }

    /** Opens (creating) the job table under {@code stateDir}. */
    public static JobStore open(Path stateDir) throws IOException {
        String base = stateDir.toAbsolutePath().resolve("jobs").toString();
        try {
            Connection c = DriverManager.getConnection("jdbc:h2:file:" + base + ";WRITE_DELAY=0", "sa", "");
            try (Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS jobs (
                          id BIGINT AUTO_INCREMENT PRIMARY KEY,
                          kind VARCHAR(100) NOT NULL,
                          config CLOB NOT NULL,
                          config_hash VARCHAR(64) NOT NULL,
                          submission_id VARCHAR(200) UNIQUE,
                          priority INT NOT NULL,
                          max_restarts INT NOT NULL,
                          labels VARCHAR(4000) NOT NULL,
                          status VARCHAR(20) NOT NULL,
                          attempt INT NOT NULL,
                          slot VARCHAR(50),
                          pid BIGINT NOT NULL DEFAULT 0,
                          pid_started BIGINT NOT NULL DEFAULT 0,
                          submitted_at BIGINT NOT NULL,
                          started_at BIGINT NOT NULL DEFAULT 0,
                          finished_at BIGINT NOT NULL DEFAULT 0,
                          step BIGINT NOT NULL DEFAULT 0,
                          total BIGINT NOT NULL DEFAULT 0,
                          loss DOUBLE PRECISION,
                          img_per_s DOUBLE PRECISION,
                          output_uri VARCHAR(2000),
                          result_uri VARCHAR(2000),
                          error VARCHAR(2000))""");
                // a job table from before GPU slots gets the column (its jobs' device: unknown until they run again)
                s.execute("ALTER TABLE jobs ADD COLUMN IF NOT EXISTS device VARCHAR(50)");
            }
            return new JobStore(c);
        } catch (SQLException e) {
            throw new IOException("job table " + base + ".mv.db: " + e.getMessage()
                    + " (is another service running on this --state-dir?)", e);
        }
    }

    /** Inserts a QUEUED job (attempt 1) and returns it. */
    public synchronized Job insert(JobRequest r, JobKinds.Outputs outputs, long now) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO jobs (kind, config, config_hash, submission_id,"
                + " priority, max_restarts, labels, status, attempt, submitted_at, output_uri, result_uri)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', 1, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, r.kind());
            p.setString(2, JSON.writeValueAsString(r.config()));
            p.setString(3, r.configHash());
            p.setString(4, r.submissionId());
            p.setInt(5, r.priority());
            p.setInt(6, r.maxRestarts());
            ArrayNode labels = JSON.createArrayNode();
            r.labels().forEach(labels::add);
            p.setString(7, JSON.writeValueAsString(labels));
            p.setLong(8, now);
            p.setString(9, outputs.outputUri());
            p.setString(10, outputs.resultUri());
            p.executeUpdate();
            try (ResultSet k = p.getGeneratedKeys()) {
                k.next();
                return get(k.getLong(1)).orElseThrow();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("job table: " + e.getMessage(), e);
        }
    }

    /** The job called {@code submissionId}, whatever its status. */
    public synchronized Optional<Job> bySubmissionId(String submissionId) {
        return one("SELECT " + COLUMNS + " FROM jobs WHERE submission_id = ?", submissionId);
    }

    /** A job with this config hash that is queued or running (the same submission, not a second job). */
    public synchronized Optional<Job> activeByConfigHash(String hash) {
        return one("SELECT " + COLUMNS + " FROM jobs WHERE config_hash = ? AND status IN ('QUEUED', 'STARTING',"
                + " 'RUNNING', 'RECOVERING', 'CANCELLING') ORDER BY id LIMIT 1", hash);
    }

    public synchronized Optional<Job> get(long id) {
        return one("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", id);
    }

    /** Every job (newest first), optionally of one status and carrying one label. */
    public synchronized List<Job> list(JobStatus status, String label) {
        List<Job> out = new ArrayList<>();
        for (Job j : query("SELECT " + COLUMNS + " FROM jobs" + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY id DESC", status == null ? new Object[0] : new Object[] {status.name()})) {
            if (label == null || j.labels().contains(label)) {
                out.add(j);
            }
        }
        return out;
    }

    /** The waiting jobs in the order they get slots: priority (high first), then submission time, then id. */
    public synchronized List<Job> queue() {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE status IN ('QUEUED', 'RECOVERING')"
                + " ORDER BY priority DESC, submitted_at, id");
    }

    /** Sets the status (and the error line, null to clear it). */
    public synchronized void status(long id, JobStatus s, String error, long now) {
        update("UPDATE jobs SET status = ?, error = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
                + " WHERE id = ?", s.name(), error, s.terminal(), now, id);
    }

    /** Sets the status only if it is still {@code from}; whether it was. */
    public synchronized boolean transition(long id, JobStatus from, JobStatus to, long now) {
        return update("UPDATE jobs SET status = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
                + " WHERE id = ? AND status = ?", to.name(), to.terminal(), now, id, from.name()) == 1;
    }

    /** The job got a slot: STARTING there, on {@code device}. */
    public synchronized void starting(long id, String slot, String device, long now) {
        update("UPDATE jobs SET status = 'STARTING', slot = ?, device = ?, started_at = ?, error = NULL WHERE id = ?",
                slot, device, now, id);
    }

    /** Its child JVM runs: RUNNING with this pid (unless a cancel came first). */
    public synchronized void running(long id, long pid, long pidStarted) {
        update("UPDATE jobs SET pid = ?, pid_started = ?, status = CASE WHEN status = 'STARTING' THEN 'RUNNING'"
                + " ELSE status END WHERE id = ?", pid, pidStarted, id);
    }

    /** The child is gone. */
    public synchronized void exited(long id) {
        update("UPDATE jobs SET pid = 0, pid_started = 0, slot = NULL WHERE id = ?", id);
    }

    public synchronized void progress(long id, long step, long total, double loss, double imgPerSec) {
        update("UPDATE jobs SET step = ?, total = ?, loss = ?, img_per_s = ? WHERE id = ?", step, total,
                Double.isFinite(loss) ? loss : null, Double.isFinite(imgPerSec) ? imgPerSec : null, id);
    }

    /** Back in the queue as {@code status} with this attempt number. */
    public synchronized void requeue(long id, JobStatus status, int attempt) {
        update("UPDATE jobs SET status = ?, attempt = ?, error = NULL, finished_at = 0, pid = 0, pid_started = 0,"
                + " slot = NULL WHERE id = ?", status.name(), attempt, id);
    }

    private Optional<Job> one(String sql, Object... args) {
        List<Job> l = query(sql, args);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<Job> query(String sql, Object... args) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("job table: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("job table: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement p, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
    }

    private static Job row(ResultSet rs) throws SQLException, IOException {
        List<String> labels = new ArrayList<>();
        JSON.readTree(rs.getString("labels")).forEach(x -> labels.add(x.asText()));
        double loss = rs.getDouble("loss");
        if (rs.wasNull()) {
            loss = Double.NaN;
        }
        double ips = rs.getDouble("img_per_s");
        if (rs.wasNull()) {
            ips = Double.NaN;
        }
        return new Job(rs.getLong("id"), rs.getString("kind"), JSON.readTree(rs.getString("config")),
                rs.getString("config_hash"), rs.getString("submission_id"), rs.getInt("priority"),
                rs.getInt("max_restarts"), List.copyOf(labels), JobStatus.valueOf(rs.getString("status")),
                rs.getInt("attempt"), rs.getString("slot"), rs.getString("device"), rs.getLong("pid"),
                rs.getLong("pid_started"), rs.getLong("submitted_at"), rs.getLong("started_at"),
                rs.getLong("finished_at"), rs.getLong("step"), rs.getLong("total"), loss, ips,
                rs.getString("output_uri"), rs.getString("result_uri"), rs.getString("error"));
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // closing: nothing to keep
        }
    }
}
