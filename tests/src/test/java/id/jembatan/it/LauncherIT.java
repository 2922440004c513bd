package id.jembatan.it;

import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.Launcher;
import id.jembatan.testkit.TestBus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher README's first command runs ({@code sandboxes/target/jembatan-demo}, the same script as
 * {@code config/target/jembatan-exec}), on a fresh copy of it and the demo jar in a folder of its own: its first start
 * extracts the jar and makes the class-data-sharing archive with a training run, later starts use it. One training
 * run for the class (the tests run in order, each on what the one before left).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    private static final Path DEMO_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path workDir;
    private static Path launcher;
    private static Path archive;

    @BeforeAll
    static void freshCopy() throws IOException {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "launcher-").toAbsolutePath();
        launcher = Launcher.freshCopy(DEMO_JAR, workDir);
        archive = workDir.resolve("jembatan-demo-cds").resolve("jembatan.jsa");
    }

    /**
     * The launcher's first start, with settings on its command line as a user gives them (the data folder, the HTTP
     * port 0, a name for the Camel context). Result: it says it prepares the faster start, extracts the jar, makes the
     * archive in a training run that ended once the bus was ready (in a temporary folder: the training's log names
     * it), then starts the bus; its health answers UP on the port it bound; the settings reached the bus: its store is
     * in the data folder given and its Camel context has the name given.
     */
    @Test
    @Order(1)
    void theFirstStartMakesTheArchiveThenStartsTheBus() throws Exception {
        Path data = workDir.resolve("data");
        Path console = workDir.resolve("first.out");
        try (BusProcess bus = bus(data).startLauncher(launcher, console, Map.of(), 600)) {
            assertThat(health(bus)).contains("\"UP\"");
            assertThat(Files.readString(console, StandardCharsets.ISO_8859_1))
                    .contains("jembatan: preparing a faster start")
                    .doesNotContain("training run failed");
            assertThat(archive).isNotEmptyFile();
            assertThat(workDir.resolve("jembatan-demo-cds/app/jembatan-demo.jar")).isRegularFile();
            assertThat(Files.readString(workDir.resolve("jembatan-demo-cds/training.log")))
                    .contains("Training run: the bus was ready")
                    .doesNotContain(data.toString());
            assertThat(data.resolve("db")).isDirectory();
            assertThat(Files.readString(console, StandardCharsets.ISO_8859_1)).contains("launcher-it");
        }
    }

    /**
     * A second start, with {@code -Xshare:on} in {@code JAVA_OPTS} (the JVM refuses to start unless it can map its
     * archives) and the class-loading log on. Result: no training again; the bus is UP; its classes came from the
     * launcher's archive (the JVM names it as the dynamic archive it mapped, and classes loaded from it).
     */
    @Test
    @Order(2)
    void theSecondStartUsesTheArchive() throws Exception {
        Path console = workDir.resolve("second.out");
        Path classLog = workDir.resolve("second-classes.log");
        try (BusProcess bus = bus(workDir.resolve("data")).startLauncher(launcher, console,
                Map.of("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classLog), 300)) {
            assertThat(health(bus)).contains("\"UP\"");
        }
        assertThat(Files.readString(console, StandardCharsets.ISO_8859_1)).doesNotContain("preparing a faster start");
        try (var lines = Files.lines(classLog, StandardCharsets.ISO_8859_1)) {
            assertThat(lines.filter(line -> line.contains("id.jembatan.JembatanApplication ")))
                    .singleElement().asString().contains("shared objects file (top)");
        }
    }

    /**
     * The archive is damaged (its header overwritten) after it was made. Result: the launcher does not notice, the JVM
     * does: it ignores the archive and the bus starts without it, UP.
     */
    @Test
    @Order(3)
    void aDamagedArchiveIsIgnored() throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.write(new byte[64]);
        }
        Path classLog = workDir.resolve("third-classes.log");
        try (BusProcess bus = bus(workDir.resolve("data")).startLauncher(launcher, workDir.resolve("third.out"),
                Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), 300)) {
            assertThat(health(bus)).contains("\"UP\"");
        }
        try (var lines = Files.lines(classLog, StandardCharsets.ISO_8859_1)) {
            assertThat(lines.filter(line -> line.contains("id.jembatan.JembatanApplication ")))
                    .singleElement().asString().doesNotContain("shared objects file");
        }
    }

    private static TestBus bus(Path data) {
        return TestBus.named("launcher-it", 0).dataDir(data).withDemoAgenciesOnAnyPort()
                .with("camel.main.name", "launcher-it");
    }

    private static String health(BusProcess bus) throws IOException, InterruptedException {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bus.httpPort() + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        return health.body();
    }
}
