package id.jembatan.sandbox.health;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.fixtures.SettableClock;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Sex;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The health sandbox as a FHIR client sees it over real HTTP: Patient create, read, versions, updates, search. */
public class HealthSandboxTest {

    private static HealthSandbox sandbox;
    private static IGenericClient fhir;

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final HealthTranslator translator = new HealthTranslator();

    @BeforeAll
    static void start() {
        TomcatLogs.quiet();
        sandbox = new HealthSandbox(0);
        sandbox.start();
        fhir = client(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @AfterEach
    void serveNormally() {
        sandbox.setFailWith(0);
    }

    @Test
    void listensOnLoopbackAtTheFhirBase() {
        assertThat(sandbox.isRunning()).isTrue();
        assertThat(sandbox.port()).isPositive();
        assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port() + "/fhir");
        CapabilityStatement capabilities = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getRestFirstRep().getResource())
                .anyMatch(resource -> resource.getType().equals("Patient"));
    }

    @Test
    void aCreatedPatientIsReadWithItsVersionsKept() {
        Citizen citizen = fixtures.citizen();
        int writesBefore = sandbox.writes();

        MethodOutcome created = fhir.create().resource(translator.toPatient(citizen)).execute();
        Patient read = fhir.read().resource(Patient.class).withId(created.getId().toUnqualifiedVersionless())
                .execute();
        read.setGender(read.getGender() == AdministrativeGender.MALE
                ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        MethodOutcome updated = fhir.update().resource(read).execute();

        assertThat(created.getCreated()).isTrue();
        assertThat(created.getId().getVersionIdPart()).isEqualTo("1");
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        Patient first = fhir.read().resource(Patient.class)
                .withId(created.getId().toUnqualifiedVersionless().withVersion("1")).execute();
        Patient current = fhir.read().resource(Patient.class).withId(created.getId().toUnqualifiedVersionless())
                .execute();
        assertThat(first.getGender()).isNotEqualTo(current.getGender());
        assertThat(current.getMeta().getVersionId()).isEqualTo("2");
        assertThat(current.getMeta().getLastUpdated()).isNotNull();
        assertThat(sandbox.writes()).isEqualTo(writesBefore + 2);
        assertThat(sandbox.patientByNik(citizen.nik())).hasValueSatisfying(
                p -> assertThat(p.getIdElement().getIdPart()).isEqualTo(created.getId().getIdPart()));
    }

    @Test
    void aConditionalUpdateCreatesThenUpdatesTheOnePatientWithTheIdentifier() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(citizen);

        MethodOutcome first = conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());
        patient.getNameFirstRep().setText("Changed Name");
        MethodOutcome second = conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).as("200, not 201").isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(second.getId().getVersionIdPart()).isEqualTo("2");
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(sandbox.patientByNik(citizen.nik()).orElseThrow().getNameFirstRep().getText())
                .isEqualTo("Changed Name");
    }

    @Test
    void aConditionalUpdateMatchingSeveralPatientsIsRefused() {
        // Twins before they have NIKs: both are known by their mother's NIK.
        Citizen mother = fixtures.citizen(Sex.FEMALE, LocalDate.of(1994, 6, 1));
        for (int twin = 0; twin < 2; twin++) {
            Patient baby = new Patient();
            baby.addIdentifier().setSystem(HealthFhir.MOTHER_NIK_SYSTEM).setValue(mother.nik());
            fhir.create().resource(baby).execute();
        }
        Patient update = new Patient();
        update.addIdentifier().setSystem(HealthFhir.MOTHER_NIK_SYSTEM).setValue(mother.nik());

        assertThatThrownBy(() -> conditionalUpdate(update, HealthFhir.MOTHER_NIK_SYSTEM, mother.nik()))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("2 Patients match")
                .hasMessageNotContaining(mother.nik());
    }

    /**
     * An update by id with {@code If-Match} of an outdated version, as after a read that someone else's update
     * overtook. Result: 409 Conflict, as HAPI FHIR's JPA server answers (HAPI-0989), and nothing is written; with the
     * current version the update goes through.
     */
    @Test
    void ifMatchWithAnOutdatedVersionOnAnUpdateByIdIsAConflict() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(citizen);
        IIdType id = fhir.create().resource(patient).execute().getId().toUnqualifiedVersionless();
        patient.setId(id);
        fhir.update().resource(patient).execute();
        int writes = sandbox.writes();

        assertThatThrownBy(() -> fhir.update().resource(patient).withId(id)
                .withAdditionalHeader("If-Match", "W/\"1\"").execute())
                .isInstanceOf(ResourceVersionConflictException.class)
                .hasMessageContaining("not the current version");
        assertThat(sandbox.writes()).isEqualTo(writes);
        MethodOutcome current = fhir.update().resource(patient).withId(id)
                .withAdditionalHeader("If-Match", "W/\"2\"").execute();
        assertThat(current.getId().getVersionIdPart()).isEqualTo("3");
    }

    /**
     * A conditional update on the NIK with {@code If-Match} of an outdated version, and one with a version for a NIK
     * nobody has. Result: as on HAPI FHIR's JPA server, {@code If-Match} is ignored: the first replaces the Patient
     * (200), the second creates one (201). This is why the connector never changes a Patient this way.
     */
    @Test
    void aConditionalUpdateIgnoresIfMatchAsHapiFhirDoes() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(citizen);
        conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());
        conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());
        Citizen unknown = fixtures.citizen();

        MethodOutcome stale = fhir.update().resource(patient).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, citizen.nik()))
                .withAdditionalHeader("If-Match", "W/\"1\"").execute();
        MethodOutcome madeUp = fhir.update().resource(translator.toPatient(unknown)).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, unknown.nik()))
                .withAdditionalHeader("If-Match", "W/\"7\"").execute();

        assertThat(stale.getId().getVersionIdPart()).isEqualTo("3");
        assertThat(madeUp.getCreated()).isTrue();
    }

    /**
     * A conditional create on a NIK two Patients carry. Result: 412 Precondition Failed with an OperationOutcome that
     * says so (NIK masked), and no third Patient.
     */
    @Test
    void aConditionalCreateMatchingSeveralPatientsIsRefused() {
        Citizen citizen = fixtures.citizen();
        fhir.create().resource(translator.toPatient(citizen)).execute();
        fhir.create().resource(translator.toPatient(citizen)).execute();

        assertThatThrownBy(() -> fhir.create().resource(translator.toPatient(citizen))
                .conditional().where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, citizen.nik()))
                .execute())
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("2 Patients match")
                .hasMessageNotContaining(citizen.nik());
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(2);
    }

    /**
     * A clinic searches a NIK nobody has, the Patient is created, and the same search is made again within the
     * reuse period, then with {@code Cache-Control: no-cache}, then plainly again, before and after the first
     * search's period ends. Result, as on HAPI FHIR's JPA server: the second search answers the first one's empty
     * result; the no-cache search finds the Patient; the plain search after it still gets the first search's
     * results until those expire, then the no-cache search's; {@code no-store} results are not reused; after the
     * period a search is made afresh.
     */
    @Test
    void aSearchIsAnsweredFromTheSameSearchsResultsForAMinuteUnlessTheClientSaysNoCache() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-20T01:00:00Z"));
        try (HealthSandbox agency = new HealthSandbox(0, clock, Duration.ofSeconds(60))) {
            agency.start();
            IGenericClient clinic = client(agency.baseUrl());
            Citizen citizen = fixtures.citizen();
            Citizen other = fixtures.citizen();

            assertThat(searchNik(clinic, citizen.nik(), null).getEntry()).isEmpty();
            clinic.create().resource(translator.toPatient(citizen)).execute();
            clock.advance(Duration.ofSeconds(59));
            assertThat(searchNik(clinic, citizen.nik(), null).getEntry()).as("reused").isEmpty();
            assertThat(searchNik(clinic, citizen.nik(), new CacheControlDirective().setNoCache(true)).getEntry())
                    .as("no-cache").hasSize(1);
            assertThat(searchNik(clinic, citizen.nik(), null).getEntry()).as("the oldest results reused").isEmpty();
            clock.advance(Duration.ofSeconds(2));
            assertThat(searchNik(clinic, citizen.nik(), null).getEntry()).as("then the no-cache search's").hasSize(1);

            assertThat(searchNik(clinic, other.nik(), new CacheControlDirective().setNoStore(true)).getEntry())
                    .isEmpty();
            clinic.create().resource(translator.toPatient(other)).execute();
            assertThat(searchNik(clinic, other.nik(), null).getEntry()).as("no-store: nothing to reuse").hasSize(1);
            clinic.create().resource(translator.toPatient(other)).execute();
            assertThat(searchNik(clinic, other.nik(), null).getEntry()).as("reused").hasSize(1);
            clock.advance(Duration.ofSeconds(61));
            assertThat(searchNik(clinic, other.nik(), null).getEntry()).as("after the period").hasSize(2);
        }
    }

    @Test
    void aSearchByIdentifierAnswersASearchsetBundle() {
        Citizen citizen = fixtures.citizen();
        fhir.create().resource(translator.toPatient(citizen)).execute();

        Bundle found = search(HealthFhir.NIK_SYSTEM, citizen.nik());
        Bundle none = search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik());

        assertThat(found.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(found.getEntry()).hasSize(1);
        assertThat(found.getEntryFirstRep().getResource()).isInstanceOfSatisfying(Patient.class,
                p -> assertThat(hasNik(p, citizen.nik())).isTrue());
        assertThat(none.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(none.getEntry()).isEmpty();
    }

    @Test
    void aPatientWithoutNikOrWithAMalformedOneIsUnprocessable() {
        Patient nameless = new Patient();
        nameless.addName().setText("Tanpa NIK");
        String malformed = fixtures.citizen().nik().substring(0, 15);
        Patient broken = new Patient();
        broken.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue(malformed);
        int writesBefore = sandbox.writes();

        assertThatThrownBy(() -> fhir.create().resource(nameless).execute())
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssueFirstRep().getSeverity())
                            .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                    assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(HealthFhir.NIK_SYSTEM);
                });
        assertThatThrownBy(() -> conditionalUpdate(broken, HealthFhir.NIK_SYSTEM, malformed))
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("not a valid NIK")
                .hasMessageNotContaining(malformed);
        assertThat(sandbox.writes()).isEqualTo(writesBefore);
    }

    @Test
    void failWithMakesEveryRequestFailUntilReset() throws Exception {
        sandbox.setFailWith(503);

        HttpResponse<String> raw = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/metadata")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(503);
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        assertThat(raw.body()).contains("OperationOutcome").contains("503");
        assertThatThrownBy(() -> search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik()))
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.class)
                .satisfies(e -> assertThat(((ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException) e)
                        .getStatusCode()).isEqualTo(503));

        sandbox.setFailWith(500);
        assertThatThrownBy(() -> search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik()))
                .isInstanceOf(InternalErrorException.class);

        sandbox.setFailWith(0);
        assertThat(search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik()).getEntry()).isEmpty();
        assertThatThrownBy(() -> sandbox.setFailWith(302)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestartBindsTheSamePortAndKeepsThePatients() throws IOException {
        Citizen citizen = fixtures.citizen();
        try (HealthSandbox own = new HealthSandbox(0)) {
            own.start();
            int port = own.port();
            String url = own.baseUrl();
            assertThat(port).as("runs beside the other sandbox of this JVM").isNotEqualTo(sandbox.port());
            client(url).create().resource(translator.toPatient(citizen)).execute();

            own.stop();
            assertThat(own.isRunning()).isFalse();
            assertThat(own.port()).isEqualTo(port);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> client(url).read().resource(Patient.class).withId(new IdType("Patient", "1"))
                    .execute()).isInstanceOf(FhirClientConnectionException.class);

            own.start();
            assertThat(own.isRunning()).isTrue();
            assertThat(own.port()).isEqualTo(port);
            assertThat(own.baseUrl()).isEqualTo(url);
            assertThat(search(client(url), HealthFhir.NIK_SYSTEM, citizen.nik()).getEntry()).hasSize(1);
            own.start();
            assertThat(own.port()).as("start is idempotent").isEqualTo(port);
        }
        assertThat(sandbox.isRunning()).isTrue();
        assertThat(search(HealthFhir.NIK_SYSTEM, citizen.nik()).getEntry()).as("separate stores").isEmpty();
    }

    @Test
    void aPortInUseIsReportedAndLeavesTheSandboxStopped() {
        HealthSandbox clash = new HealthSandbox(sandbox.port());

        assertThatThrownBy(clash::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(sandbox.port()));
        assertThat(clash.isRunning()).isFalse();
        assertThat(sandbox.isRunning()).isTrue();
        assertThat(search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik()).getType())
                .isEqualTo(Bundle.BundleType.SEARCHSET);
    }

    @Test
    void runsBesideATomcatStartedTheWaySpringBootStartsItsOwn() throws Exception {
        // Spring Boot's embedded server: the Tomcat helper class, engine "Tomcat", a servlet at the root.
        Properties before = (Properties) System.getProperties().clone();
        Path base = Files.createTempDirectory("spring-boot-like-tomcat");
        Tomcat application = new Tomcat();
        try {
            application.setBaseDir(base.toString());
            application.setPort(0);
            application.getEngine().setName("Tomcat");
            StandardContext root = (StandardContext) application.addContext("", base.toString());
            // Its leak probes need --add-opens on Java 17 and only warn without them; Spring Boot sets its own.
            root.setClearReferencesObjectStreamClassCaches(false);
            root.setClearReferencesRmiTargets(false);
            root.setClearReferencesThreadLocals(false);
            Tomcat.addServlet(root, "api", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.getWriter().write("bus");
                }
            });
            root.addServletMappingDecoded("/*", "api");
            application.start();
            String applicationUrl = "http://127.0.0.1:" + application.getConnector().getLocalPort() + "/api";

            try (HealthSandbox late = new HealthSandbox(0)) {
                late.start();
                assertThat(get(applicationUrl)).isEqualTo("bus");
                assertThat(search(client(late.baseUrl()), HealthFhir.NIK_SYSTEM, fixtures.citizen().nik())
                        .getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
            }
            assertThat(get(applicationUrl)).as("the application's Tomcat outlives the sandbox").isEqualTo("bus");
            assertThat(search(HealthFhir.NIK_SYSTEM, fixtures.citizen().nik()).getType())
                    .as("and the sandbox started before it still serves").isEqualTo(Bundle.BundleType.SEARCHSET);
        } finally {
            application.stop();
            application.destroy();
            System.setProperties(before);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A FHIR client as the health agency's own staff would use one (also the connector test's view of the agency). */
    public static IGenericClient client(String baseUrl) {
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(HealthFhir.context());
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        factory.setConnectTimeout(2_000);
        factory.setSocketTimeout(5_000);
        return factory.newGenericClient(baseUrl);
    }

    private static MethodOutcome conditionalUpdate(Patient patient, String system, String value) {
        return fhir.update().resource(patient).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(system, value)).execute();
    }

    private static Bundle search(String system, String value) {
        return search(fhir, system, value);
    }

    private static Bundle search(IGenericClient client, String system, String value) {
        return client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(system, value))
                .returnBundle(Bundle.class).execute();
    }

    private static Bundle searchNik(IGenericClient client, String nik, CacheControlDirective cacheControl) {
        var query = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .returnBundle(Bundle.class);
        return (cacheControl == null ? query : query.cacheControl(cacheControl)).execute();
    }

    private static boolean hasNik(Patient patient, String nik) {
        return patient.getIdentifier().stream()
                .anyMatch(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && nik.equals(i.getValue()));
    }
}
