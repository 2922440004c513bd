package id.jembatan.bench;

import id.jembatan.config.store.EmbeddedStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bus asked of its PostgreSQL during the measured ingest rows, statement by statement, from the server's
 * own {@code pg_stat_statements} ({@code -Dbench.store-statements=true}, which preloads it in the embedded server):
 * calls per event show the round trips each event costs, total time where the store's share goes. Off by default:
 * the extension's bookkeeping is a cost of its own.
 */
final class StoreStatements {

    /** The bus setting that loads the extension into the embedded server (it is part of its PostgreSQL build). */
    static final String BUS_ARGUMENT = "--jembatan.store.server-settings.shared_preload_libraries=pg_stat_statements";

    private StoreStatements() {
    }

    /**
     * The embedded server's superuser on the bus's database (creating the extension and reading every role's
     * statements need it; it has the bus role's secret).
     */
    static DataSource superuser(EmbeddedStore store) {
        return new DriverManagerDataSource(store.jdbcUrl(), "postgres", store.password());
    }

    /**
     * The superuser of the embedded server of a bus running as a process of its own on {@code dataDir}: its port from
     * the server's {@code postmaster.pid} (fourth line), its secret from {@code db/store.secret}.
     */
    static DataSource superuser(Path dataDir) throws IOException {
        Path db = dataDir.resolve("db");
        List<String> pid = Files.readAllLines(db.resolve("postgres").resolve("postmaster.pid"));
        String secret = Files.readString(db.resolve("store.secret")).strip();
        return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/"
                + EmbeddedStore.DATABASE, "postgres", secret);
    }

    /** Creates the extension's view if needed and forgets what was counted so far (the seeding, the warm-up). */
    static void reset(DataSource store) {
        JdbcTemplate jdbc = new JdbcTemplate(store);
        jdbc.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        jdbc.execute("SELECT pg_stat_statements_reset()");
        jdbc.execute("SELECT pg_stat_reset_shared('wal')");
        jdbc.execute("SELECT pg_stat_reset()");
    }

    /**
     * The statements counted since {@link #reset}, most total execution time first, with calls per event (per
     * request, for the lookups).
     */
    static Map<String, Object> since(DataSource store, long events) {
        JdbcTemplate jdbc = new JdbcTemplate(store);
        List<Map<String, Object>> top = jdbc.queryForList("""
                SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
                       round(mean_exec_time::numeric, 3) AS mean_ms, rows,
                       round(calls::numeric / ?, 2) AS calls_per_event,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 200) AS query
                FROM pg_stat_statements
                WHERE query NOT LIKE '%pg_stat_statements%'
                ORDER BY total_exec_time DESC
                LIMIT 40""", events);
        Map<String, Object> totals = jdbc.queryForMap("""
                SELECT sum(calls) AS calls, round(sum(total_exec_time)::numeric, 1) AS total_ms
                FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'""");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", events);
        result.put("statementsPerEvent", ((Number) totals.get("calls")).doubleValue() / events);
        result.put("executionMillisTotal", totals.get("total_ms"));
        // The write-ahead log the rows wrote (full-page images after a checkpoint cost the server CPU and I/O), and
        // the maintenance the server did meanwhile.
        result.put("wal", jdbc.queryForMap("SELECT wal_records, wal_fpi, wal_bytes, wal_write, wal_sync FROM pg_stat_wal"));
        result.put("tables", jdbc.queryForList("""
                SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, n_dead_tup, autovacuum_count,
                       autoanalyze_count
                FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
                ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC"""));
        result.put("top", top);
        return result;
    }
}
