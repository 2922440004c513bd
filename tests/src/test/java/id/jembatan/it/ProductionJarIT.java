package id.jembatan.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the two jars the build makes hold: the production jar ({@code config/target/jembatan-exec.jar}) is the bus
 * alone, the demo jar ({@code sandboxes/target/jembatan-demo.jar}) the same bus with the demo agencies. Read as the
 * zip files they are, down into the bus's own libraries inside them ({@code BOOT-INF/lib/jembatan-*.jar}), so that a
 * demo class cannot hide in another module either.
 */
class ProductionJarIT {

    private static final Path PRODUCTION_JAR = Path.of("..", "config", "target", "jembatan-exec.jar");
    private static final Path DEMO_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");

    /** A class or resource of the demo agencies: their module, their package, their name, their keys. */
    private static final Predicate<String> DEMO = entry -> entry.matches("BOOT-INF/lib/jembatan-sandboxes.*\\.jar")
            || entry.contains("id/jembatan/sandbox/")
            || entry.endsWith(".class") && entry.substring(entry.lastIndexOf('/') + 1).contains("Sandbox")
            || entry.endsWith("application-demo.yaml");

    /**
     * The production jar is listed, with every entry of the bus's own libraries in it. Result: no jar of the
     * sandboxes module, no class of package {@code id.jembatan.sandbox} or named like a sandbox, and no demo profile
     * (whose file holds the demo keys); the bus itself is there.
     */
    @Test
    void theProductionJarHoldsNoDemoAgency() throws IOException {
        List<String> entries = entries(PRODUCTION_JAR);

        assertThat(entries).as("the bus").contains("BOOT-INF/classes/id/jembatan/JembatanApplication.class")
                .anyMatch(e -> e.startsWith("BOOT-INF/lib/jembatan-core-"));
        assertThat(entries).as("demo agencies in the production jar").noneMatch(DEMO);
    }

    /**
     * The demo jar is listed the same way. Result: the same application (its main class in the production
     * application's library) with the demo agencies, their wiring and the demo profile: the check above would see
     * them.
     */
    @Test
    void theDemoJarIsTheProductionApplicationWithTheDemoAgencies() throws IOException {
        List<String> entries = entries(DEMO_JAR);

        assertThat(entries).anyMatch(e -> e.matches("BOOT-INF/lib/jembatan-config-.*\\.jar"))
                .contains("BOOT-INF/classes/id/jembatan/sandbox/tax/TaxSandbox.class",
                        "BOOT-INF/classes/id/jembatan/sandbox/SandboxConfiguration.class",
                        "BOOT-INF/classes/application-demo.yaml",
                        "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        assertThat(entries).filteredOn(DEMO).isNotEmpty();
    }

    /** The jar's entries, and those of each jembatan library in it as {@code <library>!/<entry>}. */
    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by mvn package").isRegularFile();
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry entry = all.nextElement();
                entries.add(entry.getName());
                if (entry.getName().matches("BOOT-INF/lib/jembatan-.*\\.jar")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        entries.addAll(nested(entry.getName(), in));
                    }
                }
            }
        }
        return entries;
    }

    private static List<String> nested(String library, InputStream in) throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.add(library + "!/" + entry.getName());
            }
        }
        return entries;
    }
}
