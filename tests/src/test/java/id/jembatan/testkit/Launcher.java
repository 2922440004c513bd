package id.jembatan.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The launcher the build puts beside a bus jar ({@code sandboxes/target/jembatan-demo} beside
 * {@code jembatan-demo.jar}), copied with its jar into a folder of a test's or benchmark's own, where its first start
 * extracts the jar and makes the class-data-sharing archive as on a fresh build; {@link TestBus#startLauncher} runs it.
 */
public final class Launcher {

    private Launcher() {
    }

    /** The launcher of {@code jar} ({@code <jar without .jar>}) and the jar, in {@code folder}; the launcher's path. */
    public static Path freshCopy(Path jar, Path folder) throws IOException {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path source = jar.resolveSibling(name);
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no launcher at " + source.toAbsolutePath() + ": build it first (mvn package)");
        }
        Files.createDirectories(folder);
        Path launcher = folder.resolve(name);
        Files.copy(source, launcher, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = folder.resolve(jar.getFileName());
        Files.deleteIfExists(copy);
        try {
            Files.createLink(copy, jar.toAbsolutePath()); // 200 MB: a link where the file system allows it
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(jar, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return launcher;
    }
}
