package org.detcon.orchestration.runs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Run stores for tests: H2 under a folder, or a fresh schema of the PostgreSQL server named by
 * {@code DETCON_TEST_PG_URL} (a JDBC URL with user and password; {@code .ci/run} starts Debian's server and sets it,
 * with {@code DETCON_REQUIRE_PG=1} so that these tests never skip in CI). Elsewhere, without the variable, the
 * PostgreSQL cases are skipped and say so.
 */
public final class PgTestStores {

    private PgTestStores() {
    }

    /** A URL for {@code kind} ("h2": null, the working directory's store; "pg": a new schema). */
    public static String url(String kind) throws Exception {
        if (kind.equals("h2")) {
            return null;
        }
        String base = System.getenv("DETCON_TEST_PG_URL");
        if (base == null || base.isBlank()) {
            if ("1".equals(System.getenv("DETCON_REQUIRE_PG"))) {
                throw new IllegalStateException("DETCON_REQUIRE_PG=1 but DETCON_TEST_PG_URL is not set: start the"
                        + " server with infra/local/postgres.sh");
            }
            Assumptions.abort("PostgreSQL run-store tests skipped: set DETCON_TEST_PG_URL (e.g. eval \"$(bash"
                    + " infra/local/postgres.sh start)\")");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
