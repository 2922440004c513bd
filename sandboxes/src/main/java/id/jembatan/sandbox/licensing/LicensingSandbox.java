package id.jembatan.sandbox.licensing;

import id.jembatan.connector.licensing.LicenceUpdate;
import id.jembatan.connector.licensing.LicensingCsv;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.rules.Nik;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The licensing office's side of the file drop, for the demo and the tests: it reads each finished drop file
 * (never the hidden temporary ones), applies its rows to its register of licence holders, once per event id, and
 * moves the file to {@code processed/} (or {@code rejected/} when it cannot be read).
 */
public final class LicensingSandbox {

    private static final Logger log = LoggerFactory.getLogger(LicensingSandbox.class);

    /** What the licensing office knows of one holder; {@code revokedOn} is set once their licences are revoked. */
    public record LicenceHolder(String nik, String fullName, Address address, LocalDate revokedOn) {
    }

    private final Path directory;
    private final Duration pollInterval;
    private final List<LicenceUpdate> received = new ArrayList<>();
    private final Set<java.util.UUID> seen = new HashSet<>();
    private final Map<String, LicenceHolder> holders = new ConcurrentHashMap<>();
    private ScheduledExecutorService scanner;
    private int duplicates;
    private int files;

    public LicensingSandbox(Path directory, Duration pollInterval) {
        this.directory = directory;
        this.pollInterval = pollInterval;
    }

    public synchronized void start() throws IOException {
        if (scanner != null) {
            return;
        }
        Files.createDirectories(directory.resolve("processed"));
        Files.createDirectories(directory.resolve("rejected"));
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "licensing-sandbox");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Licensing sandbox reading drop files from {}", directory);
    }

    public synchronized void stop() {
        if (scanner != null) {
            scanner.shutdownNow();
            scanner = null;
        }
    }

    public synchronized boolean isRunning() {
        return scanner != null;
    }

    public Path directory() {
        return directory;
    }

    /** Every row applied, in the order read; a repeated event id is not stored twice. */
    public synchronized List<LicenceUpdate> received() {
        return List.copyOf(received);
    }

    /** The rows applied after the first {@code from} of {@link #received()}, in the order read. */
    public synchronized List<LicenceUpdate> receivedSince(int from) {
        return from >= received.size() ? List.of() : List.copyOf(received.subList(from, received.size()));
    }

    public Optional<LicenceHolder> holder(String nik) {
        return Optional.ofNullable(holders.get(nik));
    }

    public synchronized int duplicatesIgnored() {
        return duplicates;
    }

    public synchronized int filesRead() {
        return files;
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            log.warn("Licensing sandbox could not scan {}: {}", directory, e.toString());
        }
    }

    /** Reads every finished drop file, oldest name first. */
    synchronized void scan() throws IOException {
        List<Path> ready;
        try (Stream<Path> entries = Files.list(directory)) {
            ready = entries.filter(p -> Files.isRegularFile(p))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
        for (Path file : ready) {
            List<LicenceUpdate> rows;
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows = LicensingCsv.read(reader);
            } catch (IOException | IllegalArgumentException e) {
                log.warn("Licensing sandbox rejected {}: {}", file.getFileName(), e.getMessage());
                Files.move(file, directory.resolve("rejected").resolve(file.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            rows.forEach(this::apply);
            files++;
            Files.move(file, directory.resolve("processed").resolve(file.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            log.info("Licensing sandbox read {} with {} rows", file.getFileName(), rows.size());
        }
    }

    private void apply(LicenceUpdate row) {
        if (!seen.add(row.eventId())) {
            duplicates++;
            return;
        }
        received.add(row);
        LicenceHolder current = holders.getOrDefault(row.nik(), new LicenceHolder(row.nik(), null, null, null));
        LicenceHolder next = switch (row.action()) {
            case REGISTER -> new LicenceHolder(row.nik(), row.fullName(), row.address(), current.revokedOn());
            case UPDATE_ADDRESS -> new LicenceHolder(row.nik(), current.fullName(), row.address(), current.revokedOn());
            case UPDATE_NAME -> new LicenceHolder(row.nik(), row.fullName(), current.address(), current.revokedOn());
            case REVOKE -> new LicenceHolder(row.nik(), current.fullName(), current.address(), row.dateOfDeath());
            case UPDATE -> new LicenceHolder(row.nik(), row.fullName(), row.address(), current.revokedOn());
        };
        holders.put(row.nik(), next);
        if (row.action() == LicenceUpdate.Action.REVOKE) {
            log.info("Licensing sandbox revoked the licences of {}", Nik.mask(row.nik()));
        }
    }
}
