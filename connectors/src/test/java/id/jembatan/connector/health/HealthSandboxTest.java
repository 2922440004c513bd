package id.jembatan.connector.health;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.Sex;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
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
import java.time.LocalDate;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The health sandbox as a FHIR client sees it over real HTTP: Patient create, read, versions, updates, search. */
class HealthSandboxTest {

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

    @Test
    void ifMatchWithAnOutdatedVersionIsRefused() {
        Citizen citizen = fixtures.citizen();
        Patient patient = translator.toPatient(citizen);
        conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());
        conditionalUpdate(patient, HealthFhir.NIK_SYSTEM, citizen.nik());

        assertThatThrownBy(() -> fhir.update().resource(patient).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, citizen.nik()))
                .withAdditionalHeader("If-Match", "W/\"1\"").execute())
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("current version is 2");
        MethodOutcome current = fhir.update().resource(patient).conditional()
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, citizen.nik()))
                .withAdditionalHeader("If-Match", "W/\"2\"").execute();
        assertThat(current.getId().getVersionIdPart()).isEqualTo("3");
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

    static IGenericClient client(String baseUrl) {
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

    private static boolean hasNik(Patient patient, String nik) {
        return patient.getIdentifier().stream()
                .anyMatch(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && nik.equals(i.getValue()));
    }
}
