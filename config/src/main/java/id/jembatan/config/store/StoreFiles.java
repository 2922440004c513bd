package id.jembatan.config.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the embedded store keeps on disk beside its cluster, and what a killed bus left behind there: the store's
 * secret, the cluster's sign-in rules, and a PostgreSQL server still running on the cluster.
 */
final class StoreFiles {

    /** Under the store's name: operators find the store's lines in one place. */
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);
    private static final Duration STALE_SERVER_STOP = Duration.ofSeconds(60);

    private StoreFiles() {
    }

    /** Password (SCRAM) sign-in from loopback only; nothing else is accepted. */
    static void writeHostBasedAuthentication(Path cluster) {
        String rules = """
                # Written by Jembatan at every start (EmbeddedStore): password sign-in from loopback only.
                # TYPE  DATABASE  USER  ADDRESS       METHOD
                host    all       all   127.0.0.1/32  scram-sha-256
                host    all       all   ::1/128       scram-sha-256
                """;
        try {
            Path hba = cluster.resolve("pg_hba.conf");
            Path next = cluster.resolve("pg_hba.conf.next");
            Files.writeString(next, rules, StandardCharsets.US_ASCII);
            Files.move(next, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cluster.resolve("pg_hba.conf"), e);
        }
    }

    /** The store's secret: made once (32 random bytes, hex), kept readable by the bus's user only. */
    static String secret(Path file) throws IOException {
        if (Files.exists(file)) {
            String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!secret.matches("[0-9a-f]{64}")) {
                throw new EmbeddedStore.StoreStartException(
                        file + " does not hold the store's secret (64 hex digits)", null);
            }
            return secret;
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(next);
        }
        Files.writeString(next, secret + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
        return secret;
    }

    /**
     * Stops a server a killed bus left running on this cluster (its {@code postmaster.pid} names a live postgres
     * process started on this folder): asked to shut down, then, if it has not within a minute, killed with its
     * children. Its committed work is on disk either way; a killed server recovers from its WAL at the next start.
     */
    static void stopStaleServer(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return;
        }
        Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains("postgres")
                        && cmd.contains(cluster.toString())).orElse(false));
        if (server.isEmpty()) {
            return; // a pid file left by a server that is gone: PostgreSQL itself sees that it is stale
        }
        ProcessHandle postmaster = server.get();
        log.warn("Store: a PostgreSQL server (pid {}) is still running on {}, left by a bus that did not stop in "
                + "order; stopping it", postmaster.pid(), cluster);
        postmaster.destroy(); // SIGTERM: its sessions belonged to the dead bus and are gone
        try {
            postmaster.onExit().get(STALE_SERVER_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Store: the stale PostgreSQL server did not stop within {}; killing it", STALE_SERVER_STOP);
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedStore.StoreStartException("interrupted while stopping a stale PostgreSQL server", e);
        } catch (ExecutionException e) {
            throw new EmbeddedStore.StoreStartException(
                    "could not stop the stale PostgreSQL server " + postmaster.pid(), e);
        }
    }
}
