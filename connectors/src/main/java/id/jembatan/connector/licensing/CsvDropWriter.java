package id.jembatan.connector.licensing;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Writes a batch of licensing rows as one drop file, atomically: the rows go to a hidden temporary file that is
 * forced to disk and then renamed (and the rename forced to disk), so the licensing office never reads a half-written
 * file, and a crash leaves either the whole file or none.
 */
public final class CsvDropWriter {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final String prefix;
    private final Clock clock;
    /** The instant the last file was named for: names must sort in the order the files were written. */
    private Instant lastStamp = Instant.EPOCH;

    public CsvDropWriter(Path directory, String prefix, Clock clock) {
        this.directory = directory;
        this.prefix = prefix;
        this.clock = clock;
    }

    /**
     * Writes the rows; returns the file's final path. Names sort in the order the files were written, which is the
     * order the licensing office reads them in: a citizen's next event may be in the next file.
     */
    public Path write(List<LicenceUpdate> rows) throws IOException {
        Files.createDirectories(directory);
        String name = prefix + "-" + STAMP.format(nextStamp()) + "-" + rows.get(0).eventId().toString()
                .substring(0, 8) + ".csv";
        Path temporary = directory.resolve("." + name + ".tmp");
        Path target = directory.resolve(name);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            Writer writer = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8);
            LicensingCsv.write(rows, new NonClosingWriter(writer));
            writer.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        return target;
    }

    /**
     * Makes the rename itself durable before the caller commits the batch on the broker: until the directory entry
     * is on disk, a power cut could take the file back while the broker counts its rows as delivered. Where the
     * platform cannot open a directory for syncing (Windows), its file system orders the rename itself.
     */
    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (java.nio.file.AccessDeniedException | UnsupportedOperationException e) {
            // not supported for directories on this platform
        }
    }

    /** Lets the CSV printer close its writer without closing the channel before it is forced to disk. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * The clock's instant, or a millisecond after the last file's when that is not later: two files written within
     * one millisecond (one batch's rounds, a citizen's events in order) would otherwise sort by their event ids.
     */
    private synchronized Instant nextStamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp;
    }
}
