package id.jembatan.config.store;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves the data of a bus that ran on the former default store, an H2 file database at
 * {@code <data-dir>/db/jembatan.mv.db}, into the embedded PostgreSQL at its first start: the PostgreSQL schema is
 * migrated to the version the H2 database had, every table is copied in one transaction (the audit chain's hashes
 * cover only the rows' values, so it verifies as before), then the remaining migrations run and the H2 file is
 * renamed to {@code jembatan.mv.db.imported}. A start that fails half-way leaves the H2 file in place and PostgreSQL's
 * tables empty, and the next start imports again. Events waiting in H2's outbox are published from PostgreSQL.
 */
public final class H2StoreImport {

    private static final Logger log = LoggerFactory.getLogger(H2StoreImport.class);
    private static final String HISTORY = "flyway_schema_history";
    private static final int BATCH = 1_000;

    private H2StoreImport() {
    }

    /** The H2 database file of the former default store under {@code dataDir}. */
    public static Path h2File(Path dataDir) {
        return dataDir.resolve("db").resolve("jembatan.mv.db");
    }

    /**
     * Imports the former H2 store under {@code dataDir}, if there is one, into the database {@code flyway} migrates;
     * the caller runs {@code flyway.migrate()} afterwards.
     */
    public static void importIfPresent(Path dataDir, Flyway flyway) {
        Path h2 = h2File(dataDir);
        if (!Files.exists(h2)) {
            return;
        }
        String file = h2.toAbsolutePath().normalize().toString();
        String url = "jdbc:h2:file:" + file.substring(0, file.length() - ".mv.db".length())
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        DataSource postgres = flyway.getConfiguration().getDataSource();
        try (Connection source = DriverManager.getConnection(url, "sa", "")) {
            String version = schemaVersion(source);
            if (version == null) {
                log.warn("Store: {} holds no Jembatan schema; left as it is", h2);
                return;
            }
            Flyway.configure().configuration(flyway.getConfiguration()).target(version).load().migrate();
            try (Connection target = postgres.getConnection()) {
                if (holdsData(target)) {
                    log.warn("Store: the embedded PostgreSQL already holds data; {} was imported before and is "
                            + "set aside now", h2);
                } else {
                    long rows = copy(source, target);
                    log.info("Store: imported {} rows of the former H2 store {} (schema version {}) into the "
                            + "embedded PostgreSQL", rows, h2, version);
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedStore.StoreStartException("the former H2 store " + h2 + " could not be imported into"
                    + " the embedded PostgreSQL (nothing was changed; the bus imports it at its next start): "
                    + e.getMessage(), e);
        }
        setAside(h2);
    }

    private static String schemaVersion(Connection h2) throws SQLException {
        try (Statement s = h2.createStatement();
             ResultSet r = s.executeQuery("SELECT version FROM " + HISTORY + " WHERE success AND version IS NOT NULL"
                     + " ORDER BY installed_rank DESC LIMIT 1")) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException noHistory) {
            return null;
        }
    }

    private static boolean holdsData(Connection postgres) throws SQLException {
        try (Statement s = postgres.createStatement();
             ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM citizen_event)")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** Copies every table in one transaction, referenced tables first; returns the rows copied. */
    private static long copy(Connection h2, Connection postgres) throws SQLException {
        List<String> tables = tablesInDependencyOrder(postgres);
        boolean autoCommit = postgres.getAutoCommit();
        postgres.setAutoCommit(false);
        long rows = 0;
        try {
            try (Statement s = postgres.createStatement()) {
                // Rows the migrations seeded (the audit head, the relay lease) are replaced by the H2 ones.
                for (int i = tables.size() - 1; i >= 0; i--) {
                    s.execute("DELETE FROM " + tables.get(i));
                }
            }
            for (String table : tables) {
                rows += copyTable(h2, postgres, table);
            }
            resetIdentities(postgres);
            postgres.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            postgres.rollback();
            throw e;
        } finally {
            postgres.setAutoCommit(autoCommit);
        }
    }

    private static long copyTable(Connection h2, Connection postgres, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement p = postgres.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position")) {
            p.setString(1, table);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
        }
        String list = String.join(", ", columns);
        String insert = "INSERT INTO " + table + " (" + list + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long rows = 0;
        try (Statement read = h2.createStatement();
             ResultSet r = read.executeQuery("SELECT " + list + " FROM " + table);
             PreparedStatement write = postgres.prepareStatement(insert)) {
            while (r.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    write.setObject(i, r.getObject(i));
                }
                write.addBatch();
                if (++rows % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        return rows;
    }

    /** Identity columns go on after the highest value copied. */
    private static void resetIdentities(Connection postgres) throws SQLException {
        Map<String, String> identities = new LinkedHashMap<>();
        try (Statement s = postgres.createStatement();
             ResultSet r = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                     + "WHERE table_schema = 'public' AND is_identity = 'YES'")) {
            while (r.next()) {
                identities.put(r.getString(1), r.getString(2));
            }
        }
        for (Map.Entry<String, String> identity : identities.entrySet()) {
            try (Statement s = postgres.createStatement()) {
                s.execute("SELECT setval(pg_get_serial_sequence('" + identity.getKey() + "', '" + identity.getValue()
                        + "'), COALESCE((SELECT MAX(" + identity.getValue() + ") FROM " + identity.getKey()
                        + "), 0) + 1, false)");
            }
        }
    }

    /** The application's tables (not Flyway's), each after the tables its foreign keys reference. */
    private static List<String> tablesInDependencyOrder(Connection postgres) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (Statement s = postgres.createStatement();
             ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                     + "'public' AND table_type = 'BASE TABLE' AND table_name <> '" + HISTORY + "' ORDER BY 1")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        Map<String, Set<String>> references = new LinkedHashMap<>();
        try (Statement s = postgres.createStatement();
             ResultSet r = s.executeQuery("SELECT c.conrelid::regclass::text, c.confrelid::regclass::text "
                     + "FROM pg_constraint c WHERE c.contype = 'f'")) {
            while (r.next()) {
                references.computeIfAbsent(r.getString(1), k -> new LinkedHashSet<>()).add(r.getString(2));
            }
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < tables.size()) {
            boolean progress = false;
            for (String table : tables) {
                if (!ordered.contains(table) && ordered.containsAll(references.getOrDefault(table, Set.of())
                        .stream().filter(tables::contains).toList())) {
                    ordered.add(table);
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("foreign keys between " + tables + " form a cycle");
            }
        }
        return ordered;
    }

    private static void setAside(Path h2) {
        try {
            Files.move(h2, h2.resolveSibling(h2.getFileName() + ".imported"), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(h2.resolveSibling("jembatan.trace.db"));
        } catch (IOException e) {
            throw new EmbeddedStore.StoreStartException("imported " + h2 + " but could not rename it; rename it to "
                    + h2.getFileName() + ".imported before the next start", e);
        }
    }
}
