package id.jembatan.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image as the build wrote it ({@code config/target/jib-image-check.tar}, Jib's docker-loadable tar,
 * made in the config module's package phase with the image's own configuration on an empty base): read as a file,
 * no Docker engine. Its configuration is what {@code docker run} and Kubernetes act on: who runs the bus, what
 * starts, which ports, where the data lives.
 */
class ContainerImageTest {

    private static final Path IMAGE = Path.of("..", "config", "target", "jib-image-check.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config;
    /** Path (without a leading slash) to mode of every file in the image's layers. */
    private static final Map<String, Integer> FILES = new HashMap<>();

    @BeforeAll
    static void readImage() throws IOException {
        assertThat(IMAGE).as("the image built by the config module's package phase").exists();
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        config = JSON.readTree(entries.get(manifest.path("Config").asText())).path("config");
        for (JsonNode layer : manifest.path("Layers")) {
            try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(entries.get(layer.asText())));
                 TarArchiveInputStream files = new TarArchiveInputStream(gz)) {
                for (TarArchiveEntry e = files.getNextEntry(); e != null; e = files.getNextEntry()) {
                    FILES.put(e.getName().replaceFirst("^/", "").replaceFirst("/$", ""), e.getMode() & 07777);
                }
            }
        }
    }

    /** The bus never runs as root: user 1000 (the base image's), group 0, which may write the data folder. */
    @Test
    void runsAsAUserWhoIsNotRoot() {
        assertThat(config.path("User").asText()).isEqualTo("1000:0");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/jembatan");
        assertThat(config.path("Volumes").has("/var/lib/jembatan")).isTrue();
        assertThat(FILES).as("the data folder, writable by group 0").containsEntry("var/lib/jembatan", 0775);
        assertThat(env()).containsEntry("JEMBATAN_DATADIR", "/var/lib/jembatan");
    }

    /** It starts the production application (no demo agencies) with the heap sized to the container. */
    @Test
    void startsTheProductionApplication() {
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertThat(entrypoint).startsWith("java").contains("-XX:MaxRAMPercentage=70")
                .endsWith("id.jembatan.JembatanApplication");
        assertThat(FILES).containsKey("app/jib-classpath-file")
                .containsKey("app/resources/application.yaml")
                .containsKey("app/resources/application-production.yaml")
                .containsKey("app/classes/id/jembatan/JembatanApplication.class");
        assertThat(FILES.keySet()).as("the demo agencies are not in the production image")
                .noneMatch(f -> f.contains("jembatan-sandboxes") || f.contains("id/jembatan/sandbox/"));
        assertThat(FILES.keySet()).anyMatch(f -> f.matches("app/libs/jembatan-core-.*\\.jar"));
    }

    /** HTTP API, the operator port (health probes, console, metrics) and the broker acceptor are declared. */
    @Test
    void exposesTheApiTheOperatorPortAndTheBroker() {
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "61616/tcp");
        assertThat(env()).containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("Jembatan");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        config.path("Env").forEach(n -> {
            String[] kv = n.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        return env;
    }
}
