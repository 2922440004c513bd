package id.jembatan.config.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bus's default store: a PostgreSQL server the bus runs itself, with its cluster under
 * {@code <data-dir>/db/postgres}, listening on loopback only, with password sign-in (the password is generated once
 * and kept in {@code <data-dir>/db/store.secret}, readable by its owner only). The same database the production
 * profile uses, with {@code fsync} and synchronous commits on: a transaction the bus has committed, and so an event
 * it answered 202, survives a kill -9 of the bus and of the server, and a power cut (docs/deployment.md, "The
 * store").
 *
 * <p>The server is a process of its own. It is stopped in order when the bus stops; when the bus was killed it
 * outlives it, and the next start on the same data folder stops it before starting its own.
 */
public final class EmbeddedStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    /** The database and role the bus uses; the cluster's superuser keeps its own name and gets the same secret. */
    public static final String DATABASE = "jembatan";
    public static final String USER = "jembatan";
    private static final String SUPERUSER = "postgres";
    /** Written once the cluster has its roles, database and password sign-in; until then a start finishes them. */
    private static final String READY_MARKER = "jembatan-store-ready";

    private final Path cluster;
    private final EmbeddedPostgres postgres;
    private final String secret;

    private EmbeddedStore(Path cluster, EmbeddedPostgres postgres, String secret) {
        this.cluster = cluster;
        this.postgres = postgres;
        this.secret = secret;
    }

    /**
     * Starts the server on the cluster under {@code dataDir/db/postgres}, creating the cluster on first use.
     *
     * @param port           the loopback port; 0 for any free one
     * @param serverSettings PostgreSQL settings ({@code postgresql.conf} names) on top of the bus's defaults
     */
    public static EmbeddedStore start(Path dataDir, int port, Map<String, String> serverSettings,
                                      Duration startupWait) throws IOException {
        Path db = Files.createDirectories(dataDir.resolve("db")).toAbsolutePath().normalize();
        Path cluster = db.resolve("postgres");
        StoreFiles.stopStaleServer(cluster);
        String secret = StoreFiles.secret(db.resolve("store.secret"));
        boolean ready = Files.exists(cluster.resolve(READY_MARKER));
        int chosenPort = port > 0 ? port : freePort();

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                // Stopped by close(), in order after the bus's connection pool; a JVM shutdown hook of its own would
                // run at the same time as the application's and could stop the server under a last commit.
                .setRegisterShutdownHook(false)
                .setPort(chosenPort)
                .setPGStartupWait(startupWait)
                .setLocaleConfig("locale", "C")
                .setConnectConfig("password", secret)
                // The server's own log (and initdb's) goes to a file beside the cluster, not the bus's console.
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(db.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(db.resolve("postgres.log").toFile()))
                // Sign-in with the password from the moment the cluster is ready; until then (a fresh cluster, made
                // by initdb with trust) the first start sets the password below and then switches.
                .setDataDirectoryCustomizer(dir -> {
                    if (ready) {
                        StoreFiles.writeHostBasedAuthentication(dir.toPath());
                    }
                });
        // zonky runs the server with -F (no fsync), for tests; these come after it on the command line and win.
        defaults().forEach(builder::setServerConfig);
        serverSettings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IllegalStateException | IOException e) {
            throw new StoreStartException("the embedded PostgreSQL did not start on " + cluster + ": " + e.getMessage()
                    + (noBinaries(e) ? "; this build of the bus carries no PostgreSQL binaries for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (build it on this "
                    + "platform, or set jembatan.store.embedded=false and spring.datasource.url to a PostgreSQL "
                    + "server)" : ""), e);
        }
        EmbeddedStore store = new EmbeddedStore(cluster, postgres, secret);
        try {
            if (!ready) {
                store.prepareCluster();
            }
            store.checkDurability();
        } catch (SQLException | IOException | RuntimeException e) {
            store.close();
            throw new StoreStartException("the embedded PostgreSQL in " + cluster + " could not be prepared: " + e, e);
        }
        log.info("Store: embedded PostgreSQL with its cluster in {}, on 127.0.0.1:{} (database {}, user {}, "
                + "password in {}, server log {})", cluster, chosenPort, DATABASE, USER, db.resolve("store.secret"),
                db.resolve("postgres.log"));
        return store;
    }

    /** Settings that make a commit durable before it is acknowledged, and keep the server to loopback. */
    private static Map<String, String> defaults() {
        return Map.of(
                "fsync", "on",
                "synchronous_commit", "on",
                "full_page_writes", "on",
                "listen_addresses", "127.0.0.1",
                // No Unix socket: every sign-in goes through the loopback address and its password rule.
                "unix_socket_directories", "",
                "password_encryption", "scram-sha-256");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return secret;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Stops the server in order (a fast shutdown: open sessions are ended, committed work is on disk already). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Stopping the embedded PostgreSQL in {} failed: {}", cluster, e.toString());
        }
    }

    /**
     * Finishes a cluster initdb has just made (or a first start that was cut short): the bus's role and database,
     * the secret on both roles, then password sign-in only. Every step may run again.
     */
    private void prepareCluster() throws SQLException, IOException {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setServerNames(new String[]{"127.0.0.1"});
        admin.setPortNumbers(new int[]{postgres.getPort()});
        admin.setDatabaseName("postgres");
        admin.setUser(SUPERUSER);
        admin.setPassword(secret);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                s.execute("CREATE ROLE " + USER + " LOGIN");
            }
            // The secret is hex: nothing in it needs quoting.
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + secret + "'");
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + secret + "'");
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER + " ENCODING 'UTF8'");
            }
            StoreFiles.writeHostBasedAuthentication(cluster);
            s.execute("SELECT pg_reload_conf()");
        }
        Files.writeString(cluster.resolve(READY_MARKER), "roles, database and password sign-in in place\n");
        log.info("Store: created the embedded PostgreSQL cluster in {}", cluster);
    }

    /** Refuses to run on a server that would acknowledge a commit before it is on disk. */
    private void checkDurability() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(USER);
        ds.setPassword(secret);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit")) {
                try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                    r.next();
                    if (!"on".equals(r.getString(1))) {
                        throw new StoreStartException("the embedded PostgreSQL runs with " + setting + "="
                                + r.getString(1) + ": a commit could be acknowledged before it is on disk; "
                                + "remove it from jembatan.store.server-settings", null);
                    }
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean noBinaries(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Missing embedded postgres binaries") || message.contains("binaries")) {
                return true;
            }
        }
        return false;
    }

    /** The embedded store could not be started; the message says why and what to do. */
    public static final class StoreStartException extends RuntimeException {
        StoreStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
