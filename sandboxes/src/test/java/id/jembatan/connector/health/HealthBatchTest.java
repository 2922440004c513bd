package id.jembatan.connector.health;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.BatchResult;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.health.HealthSandboxTest;
import id.jembatan.sandbox.health.TomcatLogs;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.rules.Nik;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The health connector's batches ({@link HealthConnector#deliverAll}, {@link HealthBatch}) against a running health
 * sandbox over real HTTP, through a recording proxy: which requests a batch takes, what the agency holds after it,
 * repeats, refusals of single entries and an agency that is down.
 */
class HealthBatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static HealthSandbox sandbox;
    private static HealthConnector connector;
    private static IGenericClient agency;

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @BeforeAll
    static void start() {
        TomcatLogs.quiet();
        sandbox = new HealthSandbox(0);
        sandbox.start();
        connector = new HealthConnector(sandbox.baseUrl(), TIMEOUT);
        agency = HealthSandboxTest.client(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @AfterEach
    void serveNormally() {
        sandbox.setFailWith(0);
    }

    /**
     * Two citizens the agency holds move and are renamed, three newborns are registered, all in one batch. Result:
     * four requests, each a batch Bundle posted to the base (the conditional creates of the births; the searches by
     * NIK; the reads by id; the updates by id with If-Match of the version read); nothing refused; the agency holds
     * one Patient per NIK with the change applied and tagged, version 2 for the changed ones.
     */
    @Test
    void birthsAndChangesOfOneBatchAreFourBundles() throws IOException {
        Citizen moving = held(fixtures.citizen());
        Citizen renamed = held(fixtures.citizen());
        Address moved = fixtures.otherAddress(moving.address());
        List<BirthRegistered> births = List.of(fixtures.birth(), fixtures.birth(), fixtures.birth());
        List<CitizenEvent> batch = List.of(births.get(0), fixtures.addressChange(moving.nik(), moved),
                births.get(1), fixtures.nameChange(renamed.nik(), "Raden Ajeng " + renamed.fullName()), births.get(2));

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 0, () -> { })) {
            BatchResult result = new HealthConnector(proxy.baseUrl(), TIMEOUT).deliverAll(batch);

            assertThat(refusals(result)).isEmpty();
            assertThat(proxy.requests()).as("batch Bundles posted to the base").hasSize(4)
                    .containsOnly("POST  Cache-Control: no-cache");
        }
        for (BirthRegistered birth : births) {
            assertThat(patient(birth.citizen()).getNameFirstRep().getText()).isEqualTo(birth.citizen().fullName());
        }
        assertThat(PatientReader.citizen(patient(moving)).address()).isEqualTo(moved);
        assertThat(patient(moving).getMeta().getVersionId()).isEqualTo("2");
        assertThat(patient(renamed).getNameFirstRep().getText()).isEqualTo("Raden Ajeng " + renamed.fullName());
        assertThat(PatientReader.citizen(patient(renamed)).address()).isEqualTo(renamed.address());
        for (CitizenEvent event : batch) {
            assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, event.subjectNik())).singleElement()
                    .satisfies(p -> assertThat(PatientEvents.applied(p, event.eventId())).isTrue());
        }
    }

    /**
     * The same batch of births and changes delivered twice (the broker gave it again after a crash). Result: the
     * repeat is delivered without refusal and writes nothing: the births' conditional creates find their Patients,
     * which already carry the births' tags; the changed Patients carry the changes' tags.
     */
    @Test
    void aRepeatedBatchWritesNothing() {
        Citizen moving = held(fixtures.citizen());
        List<CitizenEvent> batch = List.of(fixtures.birth(), fixtures.addressChange(moving.nik(),
                fixtures.otherAddress(moving.address())), fixtures.birth());
        assertThat(refusals(connector.deliverAll(batch))).isEmpty();
        int writes = sandbox.writes();

        assertThat(refusals(connector.deliverAll(batch))).isEmpty();

        assertThat(sandbox.writes()).isEqualTo(writes);
    }

    /**
     * In one batch: a death dated before the citizen's birth (the agency refuses the Patient: 422 with an
     * OperationOutcome), a birth whose NIK two Patients already carry (412 to its conditional create), and two
     * births that are fine. Result: the death alone is refused with {@code AGENCY_REJECTED} and the agency's
     * OperationOutcome, NIKs masked; the duplicated birth alone is refused for good with
     * {@code AGENCY_MULTIPLE_MATCHES}; the two other births are delivered.
     */
    @Test
    void entriesTheAgencyRefusesAreRefusedAloneWhileTheOthersAreDelivered() {
        Citizen dying = held(fixtures.citizen());
        BirthRegistered twice = fixtures.birth();
        for (int i = 0; i < 2; i++) {
            agency.create().resource(new HealthTranslator().newPatient(twice)).execute();
        }
        List<CitizenEvent> batch = List.of(fixtures.birth(),
                fixtures.death(dying.nik(), dying.birthDate().minusDays(1)), twice, fixtures.birth());

        BatchResult result = connector.deliverAll(batch);

        assertThat(result.refusal(1)).isInstanceOf(AgencyRejectedException.class)
                .isNotInstanceOf(AgencyRejectedPermanentlyException.class);
        AgencyRejectedException refused = (AgencyRejectedException) result.refusal(1);
        assertThat(refused.code()).isEqualTo(ErrorCode.AGENCY_REJECTED);
        OperationOutcome outcome = HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class,
                refused.agencyResponse());
        assertThat(outcome.getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Patient.deceasedDateTime");
        assertThat(result.refusal(2)).isInstanceOf(AgencyRejectedPermanentlyException.class);
        assertThat(((AgencyRejectedException) result.refusal(2)).code()).isEqualTo(ErrorCode.AGENCY_MULTIPLE_MATCHES);
        assertThat(result.refusal(2).getMessage()).contains(Nik.mask(twice.subjectNik()))
                .doesNotContain(twice.subjectNik());
        assertThat(result.delivered(0)).isTrue();
        assertThat(result.delivered(3)).isTrue();
        assertThat(patient(((BirthRegistered) batch.get(3)).citizen())).isNotNull();
        assertThat(patient(dying).hasDeceased()).isFalse();
    }

    /**
     * The agency answers every request 503. Result: the batch fails as a whole as unavailable (the delivery route
     * takes it again later), and nothing of it is held.
     */
    @Test
    void anAgencyThatIsDownFailsTheWholeBatch() {
        List<CitizenEvent> batch = List.of(fixtures.birth(), fixtures.birth());
        sandbox.setFailWith(503);

        assertThatThrownBy(() -> connector.deliverAll(batch)).isInstanceOf(AgencyUnavailableException.class)
                .hasMessageContaining("503");

        sandbox.setFailWith(0);
        assertThat(sandbox.patientByNik(batch.get(0).subjectNik())).isEmpty();
    }

    /**
     * The agency refuses every request with 400 (as HAPI FHIR's JPA server refuses a whole batch Bundle for one
     * invalid entry). Result: after the Bundle is refused as a whole, each event is sent alone, and each is refused
     * alone ({@code AGENCY_REJECTED}): the batch itself does not fail, so the events the agency would take are not
     * held back.
     */
    @Test
    void aBundleRefusedAsAWholeIsSentEventByEvent() {
        List<CitizenEvent> batch = List.of(fixtures.birth(), fixtures.birth());
        sandbox.setFailWith(400);

        BatchResult result = connector.deliverAll(batch);

        for (int i = 0; i < batch.size(); i++) {
            assertThat(result.refusal(i)).isInstanceOf(AgencyRejectedException.class)
                    .isNotInstanceOf(AgencyRejectedPermanentlyException.class);
            assertThat(((AgencyRejectedException) result.refusal(i)).code()).isEqualTo(ErrorCode.AGENCY_REJECTED);
        }
    }

    /** A citizen the agency holds already, delivered alone. */
    private Citizen held(Citizen citizen) {
        connector.deliver(fixtures.birth(citizen));
        return citizen;
    }

    private static List<Integer> refusals(BatchResult result) {
        return IntStream.range(0, result.size()).filter(i -> result.refusal(i) != null).boxed().toList();
    }

    private static Patient patient(Citizen citizen) {
        return sandbox.patientByNik(citizen.nik()).orElseThrow(() -> new AssertionError("no Patient for "
                + Nik.mask(citizen.nik())));
    }

    private static boolean hasNik(Patient patient, String nik) {
        return patient.getIdentifier().stream()
                .anyMatch(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && nik.equals(i.getValue()));
    }
}
