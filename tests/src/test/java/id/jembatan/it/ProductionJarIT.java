package id.jembatan.it;

import id.jembatan.connector.health.HealthFhir;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.testkit.BusProcess;
import id.jembatan.testkit.OutsideAgencies;
import id.jembatan.testkit.TestBus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the two jars the build makes hold: the production jar ({@code config/target/jembatan-exec.jar}) is the bus
 * alone, the demo jar ({@code sandboxes/target/jembatan-demo.jar}) the same bus with the demo agencies. Read as the
 * zip files they are, down into the bus's own libraries inside them ({@code BOOT-INF/lib/jembatan-*.jar}), so that a
 * demo class cannot hide in another module either; and what they leave out of HAPI's dependencies, with the demo jar
 * run as a process to show its FHIR paths work without them.
 */
class ProductionJarIT {

    private static final Path PRODUCTION_JAR = Path.of("..", "config", "target", "jembatan-exec.jar");
    private static final Path DEMO_JAR = Path.of("..", "sandboxes", "target", "jembatan-demo.jar");
    /** The launch options README ships (docs/performance.md, "Launch options"): the process runs with them. */
    private static final Map<String, String> SHIPPED_LAUNCH_OPTIONS = Map.of(
            "JAVA_TOOL_OPTIONS", "-Xmx224m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MetaspaceSize=64m",
            "MALLOC_ARENA_MAX", "2");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A class or resource of the demo agencies: their module, their package, their name, their keys. */
    private static final Predicate<String> DEMO = entry -> entry.matches("BOOT-INF/lib/jembatan-sandboxes.*\\.jar")
            || entry.contains("id/jembatan/sandbox/")
            || entry.endsWith(".class") && entry.substring(entry.lastIndexOf('/') + 1).contains("Sandbox")
            || entry.endsWith("application-demo.yaml");

    /**
     * Libraries HL7's FHIR core brings that no path of the bus loads (Saxon and its resolver, Jena and the protobuf it
     * needs): excluded in the parent pom and in api's. ICU4J is no longer one: the R4 validator the bus checks FHIR
     * death reports with formats its messages with it (api declares it).
     */
    private static final Predicate<String> UNUSED_BY_THE_BUS = entry -> entry.matches(
            "BOOT-INF/lib/(Saxon-HE|xmlresolver|jena-[a-z0-9-]+|protobuf-java)-[0-9].*\\.jar");

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

    /**
     * Both jars are listed. Result: neither carries Saxon, xmlresolver, Jena or protobuf, which HAPI's structures and
     * validator would bring; the HAPI structures, parser, client, server and validator are there.
     */
    @Test
    void neitherJarCarriesTheFhirLibrariesTheBusNeverLoads() throws IOException {
        for (Path jar : List.of(PRODUCTION_JAR, DEMO_JAR)) {
            List<String> entries = entries(jar);

            assertThat(entries).as(jar + ": HAPI").anyMatch(e -> e.startsWith("BOOT-INF/lib/hapi-fhir-structures-r4-"))
                    .anyMatch(e -> e.startsWith("BOOT-INF/lib/hapi-fhir-server-"))
                    .anyMatch(e -> e.startsWith("BOOT-INF/lib/hapi-fhir-client-"))
                    .anyMatch(e -> e.startsWith("BOOT-INF/lib/hapi-fhir-validation-"));
            assertThat(entries).as(jar + ": libraries the bus never loads").noneMatch(UNUSED_BY_THE_BUS);
        }
    }

    /**
     * The demo jar runs as README's first command runs it ({@code java -jar}, the embedded broker and store, with the
     * launch options README ships), its
     * tax office, FHIR server (HAPI's plain server) and webhook receiver outside it. The civil registry posts a birth;
     * health searches the citizen on the bus's FHIR server, once as JSON and once as XML. Result: both answers are a
     * searchset Bundle with the Patient of that NIK, in the format asked for, and the FHIR server outside receives the
     * Patient through the bus's FHIR client: every FHIR path of the bus works without the libraries left out above.
     */
    @Test
    void theDemoJarServesAndDeliversFhirWithoutThem() throws Exception {
        Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "jar-fhir-")
                .toAbsolutePath();
        BirthRegistered birth = new CitizenFixtures().birth();
        String nik = birth.citizen().nik();
        try (OutsideAgencies agencies = OutsideAgencies.start();
             BusProcess bus = TestBus.named("jar-fhir-it", 0).dataDir(workDir.resolve("data"))
                     .deliveringTo(agencies)
                     .with("jembatan.agencies.licensing.directory", workDir.resolve("drops"))
                     .startProcess(DEMO_JAR, workDir.resolve("console.out"), "", SHIPPED_LAUNCH_OPTIONS, 180)) {
            String base = "http://127.0.0.1:" + bus.httpPort();
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                    .header("X-API-Key", "demo-civil-registry-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json(birth))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

            Bundle asJson = HealthFhir.context().newJsonParser().parseResource(Bundle.class,
                    search(base, nik, "application/fhir+json"));
            Bundle asXml = HealthFhir.context().newXmlParser().parseResource(Bundle.class,
                    search(base, nik, "application/fhir+xml"));

            for (Bundle bundle : List.of(asJson, asXml)) {
                assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
                assertThat(bundle.getEntry()).hasSize(1);
                assertThat(((Patient) bundle.getEntryFirstRep().getResource()).getIdentifier())
                        .anyMatch(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && nik.equals(i.getValue()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> agencies.health().patientByNik(nik).isPresent());
        }
    }

    /** {@code GET /fhir/Patient?identifier=…|nik} as health, in the format {@code accept} names; 200 expected. */
    private static String search(String base, String nik, String accept) throws Exception {
        String identifier = URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(base + "/fhir/Patient?identifier=" + identifier))
                .header("X-API-Key", "demo-health-key").header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith(accept);
        return response.body();
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
