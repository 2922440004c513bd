package id.jembatan.connector.health;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import id.jembatan.connector.AgencyRejectedException;
import id.jembatan.connector.AgencyRejectedPermanentlyException;
import id.jembatan.connector.AgencyUnavailableException;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.sandbox.health.HealthSandboxTest;
import id.jembatan.sandbox.health.TomcatLogs;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.AddressChanged;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.model.Sex;
import id.jembatan.schema.rules.Nik;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The health connector against a running health sandbox over real HTTP: what the agency holds after each life
 * event, repeats that change nothing, concurrent changes by the agency, and how outages and refusals surface.
 */
class HealthConnectorTest {

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
        sandbox.start();
    }

    @Test
    void aBirthAndEveryLaterChangeAreWhatTheAgencyHolds() {
        Citizen citizen = fixtures.citizen();
        Citizen spouse = fixtures.citizen(citizen.sex() == Sex.FEMALE ? Sex.MALE : Sex.FEMALE,
                citizen.birthDate().minusYears(1));
        Address moved = fixtures.otherAddress(citizen.address());
        LocalDate married = citizen.birthDate().plusYears(24);
        int writesBefore = sandbox.writes();

        BirthRegistered birth = fixtures.birth(citizen);
        connector.deliver(birth);
        assertThat(PatientReader.citizen(patient(citizen)).fullName()).isEqualTo(citizen.fullName());
        assertThat(patient(citizen).getAddressFirstRep().getCity()).isEqualTo(citizen.address().regency());

        connector.deliver(fixtures.addressChange(citizen.nik(), moved));
        assertThat(PatientReader.citizen(patient(citizen)).address()).isEqualTo(moved);

        connector.deliver(fixtures.nameChange(citizen.nik(), "Raden Ajeng " + citizen.fullName()));
        assertThat(patient(citizen).getNameFirstRep().getText()).isEqualTo("Raden Ajeng " + citizen.fullName());

        connector.deliver(fixtures.marriage(citizen.nik(), spouse.nik(), married));
        assertThat(PatientReader.citizen(patient(citizen)).maritalStatus()).isEqualTo(MaritalStatus.MARRIED);

        connector.deliver(fixtures.divorce(citizen.nik(), spouse.nik(), married.plusYears(5)));
        assertThat(PatientReader.citizen(patient(citizen)).maritalStatus()).isEqualTo(MaritalStatus.DIVORCED);

        LocalDate died = CitizenFixtures.today().minusDays(2);
        CitizenEvent death = fixtures.death(citizen.nik(), died);
        connector.deliver(death);
        Patient last = patient(citizen);
        assertThat(last.getDeceasedDateTimeType().getValueAsString()).isEqualTo(died.toString());

        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(sandbox.writes()).isEqualTo(writesBefore + 6);
        assertThat(last.getMeta().getVersionId()).isEqualTo("6");
        assertThat(last.getMeta().getTag()).filteredOn(tag -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(tag.getSystem()))
                .extracting(Coding::getDisplay).containsExactly("BirthRegistered", "AddressChanged", "NameChanged",
                        "MarriageRegistered", "DivorceRegistered", "DeathRegistered");
        assertThat(last.getMeta().getTag(HealthFhir.EVENT_ID_TAG_SYSTEM, birth.eventId().toString())).isNotNull();
        assertThat(R4Validator.errors(last)).extracting(R4Validator::describe).isEmpty();
    }

    /**
     * The birth of a citizen the agency does not know yet, then the same birth again. Result: the first delivery is
     * one request, a conditional create on the NIK; the repeat's conditional create finds the Patient (200, nothing
     * created), the Patient is found by a search no cache may answer and read by id, recognised as already having
     * the birth, and nothing is written.
     */
    @Test
    void aBirthTheAgencyDoesNotKnowIsOneConditionalCreate() throws IOException {
        Citizen citizen = fixtures.citizen();
        BirthRegistered birth = fixtures.birth(citizen);
        String condition = "If-None-Exist: identifier=" + HealthFhir.NIK_SYSTEM + "|" + citizen.nik();

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 0, () -> { })) {
            HealthConnector throughProxy = new HealthConnector(proxy.baseUrl(), TIMEOUT);
            throughProxy.deliver(birth);
            assertThat(proxy.requests()).extracting(r -> URLDecoder.decode(r, StandardCharsets.UTF_8))
                    .containsExactly("POST /Patient " + condition);
            int writes = sandbox.writes();

            throughProxy.deliver(birth);
            String id = patient(citizen).getIdElement().getIdPart();
            assertThat(proxy.requests()).extracting(r -> URLDecoder.decode(r, StandardCharsets.UTF_8))
                    .containsExactly("POST /Patient " + condition, "POST /Patient " + condition,
                            "GET /Patient Cache-Control: no-cache", "GET /Patient/" + id);
            assertThat(sandbox.writes()).isEqualTo(writes);
        }
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(patient(citizen).getNameFirstRep().getText()).isEqualTo(citizen.fullName());
        assertThat(PatientReader.citizen(patient(citizen)).address()).isEqualTo(citizen.address());
    }

    /**
     * The same birth through a connector with conditional create turned off (for a server without it). Result: no
     * POST: a search no cache may answer finds no Patient, and it is written by conditional update.
     */
    @Test
    void withoutConditionalCreateABirthIsReadAndWritten() throws IOException {
        Citizen citizen = fixtures.citizen();

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 0, () -> { })) {
            new HealthConnector(proxy.baseUrl(), TIMEOUT, false).deliver(fixtures.birth(citizen));
            assertThat(proxy.requests()).containsExactly("GET /Patient Cache-Control: no-cache", "PUT /Patient");
        }
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(patient(citizen).getNameFirstRep().getText()).isEqualTo(citizen.fullName());
    }

    @Test
    void aRepeatedBirthLeavesOnePatientAndWritesNothing() {
        Citizen citizen = fixtures.citizen();
        BirthRegistered birth = fixtures.birth(citizen);
        connector.deliver(birth);
        int writes = sandbox.writes();

        connector.deliver(birth);
        connector.deliver(birth);

        assertThat(sandbox.writes()).isEqualTo(writes);
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(patient(citizen).getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void aRepeatedChangeIsRecognisedAndNotAppliedAgain() {
        Citizen citizen = fixtures.citizen();
        connector.deliver(fixtures.birth(citizen));
        Address first = fixtures.otherAddress(citizen.address());
        Address second = fixtures.otherAddress(first);
        AddressChanged firstMove = fixtures.addressChange(citizen.nik(), first);
        connector.deliver(firstMove);
        connector.deliver(fixtures.addressChange(citizen.nik(), second));
        int writes = sandbox.writes();

        // Redelivered after the later move (at-least-once): applying it again would move the citizen back.
        connector.deliver(firstMove);

        assertThat(PatientReader.citizen(patient(citizen)).address()).isEqualTo(second);
        assertThat(sandbox.writes()).isEqualTo(writes);
    }

    @Test
    void aChangeForACitizenTheAgencyDoesNotKnowCreatesThePatient() {
        Citizen citizen = fixtures.citizen();
        LocalDate died = CitizenFixtures.today().minusDays(1);

        connector.deliver(fixtures.death(citizen.nik(), died));

        Patient patient = patient(citizen);
        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem).containsExactly(HealthFhir.NIK_SYSTEM);
        assertThat(patient.getDeceasedDateTimeType().getValueAsString()).isEqualTo(died.toString());
        assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
    }

    @Test
    void aBabyCanAlsoBeFoundByItsMothersNik() {
        Citizen baby = fixtures.citizen(Sex.MALE, CitizenFixtures.today().minusWeeks(6));

        connector.deliver(fixtures.birth(baby));

        Bundle byMother = agency.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.MOTHER_NIK_SYSTEM, baby.motherNik()))
                .returnBundle(Bundle.class).execute();
        assertThat(byMother.getEntry()).hasSize(1);
        assertThat(hasNik((Patient) byMother.getEntryFirstRep().getResource(), baby.nik())).isTrue();
    }

    @Test
    void aBirthForAPatientTheAgencyRegisteredItselfKeepsTheAgencysOwnData() {
        Citizen citizen = fixtures.citizen();
        Patient registeredAtHospital = new Patient();
        registeredAtHospital.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue(citizen.nik());
        registeredAtHospital.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+6281311112222");
        agency.create().resource(registeredAtHospital).execute();

        connector.deliver(fixtures.birth(citizen));

        Patient patient = patient(citizen);
        assertThat(patient.getTelecomFirstRep().getValue()).isEqualTo("+6281311112222");
        assertThat(patient.getNameFirstRep().getText()).isEqualTo(citizen.fullName());
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
    }

    /**
     * The agency (a hospital desk) adds a phone number to the Patient just before the connector's write of a move
     * arrives. Result: the write by id with the version read meets 409, as HAPI FHIR answers a stale If-Match; the
     * Patient is read again and the move applied to it: the phone and the move are both there.
     */
    @Test
    void aChangeByTheAgencyBetweenReadAndWriteIsReadAgainAndKept() throws IOException {
        Citizen citizen = fixtures.citizen();
        connector.deliver(fixtures.birth(citizen));
        Address moved = fixtures.otherAddress(citizen.address());

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 1, () -> agencyAddsPhone(citizen))) {
            new HealthConnector(proxy.baseUrl(), TIMEOUT).deliver(fixtures.addressChange(citizen.nik(), moved));
            assertThat(proxy.puts()).as("the first PUT met a 409, the second went through").isEqualTo(2);
            String id = patient(citizen).getIdElement().getIdPart();
            assertThat(proxy.requests()).containsExactly(
                    "GET /Patient Cache-Control: no-cache", "GET /Patient/" + id, "PUT /Patient/" + id + " If-Match: W/\"1\"",
                    "GET /Patient Cache-Control: no-cache", "GET /Patient/" + id, "PUT /Patient/" + id + " If-Match: W/\"2\"");
        }

        Patient patient = patient(citizen);
        assertThat(patient.getTelecom()).as("the agency's change").hasSize(1);
        assertThat(PatientReader.citizen(patient).address()).as("the event").isEqualTo(moved);
        assertThat(patient.getMeta().getVersionId()).isEqualTo("3");
    }

    /**
     * The connector reads only the status and Location of its writes, so it asks the agency not to send the Patient
     * back; an agency that sends it all the same (Prefer is only a wish) is understood just as well.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesAskForNoPatientBackAndWorkWhenItComesAnyway(boolean agencyHonoursPrefer) throws IOException {
        Citizen citizen = fixtures.citizen();
        Address moved = fixtures.otherAddress(citizen.address());

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 0, () -> { }, agencyHonoursPrefer)) {
            HealthConnector throughProxy = new HealthConnector(proxy.baseUrl(), TIMEOUT);
            throughProxy.deliver(fixtures.birth(citizen));
            throughProxy.deliver(fixtures.addressChange(citizen.nik(), moved));

            assertThat(proxy.writePrefers()).containsExactly("return=minimal", "return=minimal");
            if (agencyHonoursPrefer) {
                assertThat(proxy.writeAnswerBytes()).as("no Patient sent back").containsExactly(0, 0);
            } else {
                assertThat(proxy.writeAnswerBytes()).as("the Patient sent back").allSatisfy(
                        bytes -> assertThat(bytes).isPositive());
            }
        }
        Patient patient = patient(citizen);
        assertThat(PatientReader.citizen(patient).address()).isEqualTo(moved);
        assertThat(patient.getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void anAgencyThatKeepsChangingThePatientMakesTheDeliveryWait() throws IOException {
        Citizen citizen = fixtures.citizen();
        connector.deliver(fixtures.birth(citizen));
        NameChanged rename = fixtures.nameChange(citizen.nik(), "Kartini " + citizen.fullName());

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), Integer.MAX_VALUE,
                () -> agencyAddsPhone(citizen))) {
            HealthConnector throughProxy = new HealthConnector(proxy.baseUrl(), TIMEOUT);
            assertThatThrownBy(() -> throughProxy.deliver(rename))
                    .isInstanceOf(AgencyUnavailableException.class)
                    .hasMessageContaining("changed " + HealthConnector.WRITE_ATTEMPTS + " times")
                    .hasMessageContaining(Nik.mask(citizen.nik()))
                    .hasMessageNotContaining(citizen.nik());
        }
        assertThat(patient(citizen).getNameFirstRep().getText()).isEqualTo(citizen.fullName());
    }

    /**
     * The agency refuses the write by id with 409 although nobody changed the Patient (a rule of its own, not a
     * version). Result: after reading the Patient again and finding the same version, the connector does not loop:
     * the event is refused with the agency's OperationOutcome, for the usual retries and dead letter.
     */
    @Test
    void aConflictThatIsNotAboutTheVersionIsARefusal() throws IOException {
        Citizen citizen = fixtures.citizen();
        connector.deliver(fixtures.birth(citizen));
        String outcome = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"business-rule\",\"diagnostics\":\"name changes need a court order\"}]}";

        try (InterferingProxy proxy = new InterferingProxy(sandbox.baseUrl(), 0, () -> { })) {
            proxy.refusePuts(409, outcome);
            assertThatThrownBy(() -> new HealthConnector(proxy.baseUrl(), TIMEOUT)
                    .deliver(fixtures.nameChange(citizen.nik(), "Dewi Sartika")))
                    .isInstanceOfSatisfying(AgencyRejectedException.class, e -> {
                        assertThat(e).isNotInstanceOf(AgencyRejectedPermanentlyException.class);
                        assertThat(e.code()).isEqualTo(ErrorCode.AGENCY_REJECTED);
                        assertThat(e.agencyResponse()).contains("name changes need a court order");
                    })
                    .hasMessageContaining("HTTP 409");
            assertThat(proxy.puts()).as("read again, found unchanged, not sent again").isEqualTo(1);
        }
    }

    /**
     * A clinic searched the NIK before the citizen was known (HAPI FHIR keeps that empty result for 60 s and the
     * sandbox does the same); the birth is delivered; the clinic adds a phone number; a name change follows within
     * the minute. Result: the connector's search is not answered from that cache: the name change is applied to the
     * Patient the agency holds, which keeps its gender, birth date, address and phone: nothing is written with less.
     */
    @Test
    void aCachedEmptySearchDoesNotMakeAChangeWriteThePatientWithLess() {
        Citizen citizen = fixtures.citizen();
        Bundle before = agency.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, citizen.nik()))
                .returnBundle(Bundle.class).execute();
        assertThat(before.getEntry()).isEmpty();
        connector.deliver(fixtures.birth(citizen));
        agencyAddsPhone(citizen);

        connector.deliver(fixtures.nameChange(citizen.nik(), "Dewi Sartika"));

        Patient patient = patient(citizen);
        Citizen held = PatientReader.citizen(patient);
        assertThat(held.fullName()).isEqualTo("Dewi Sartika");
        assertThat(held.sex()).isEqualTo(citizen.sex());
        assertThat(held.birthDate()).isEqualTo(citizen.birthDate());
        assertThat(held.address()).isEqualTo(citizen.address());
        assertThat(patient.getTelecom()).hasSize(1);
        assertThat(sandbox.patients()).filteredOn(p -> hasNik(p, citizen.nik())).hasSize(1);
        assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
    }

    /**
     * Two Patients carry the NIK at the agency, and a birth (conditional create), a name change (search) and, through
     * a connector without conditional create, a birth (search) arrive. Result: each is refused for good at once
     * ({@code AGENCY_MULTIPLE_MATCHES}, to be dead-lettered without retries) with an OperationOutcome, the agency's
     * 412 answer or one naming the Patients found, in which the NIK is masked; nothing is written.
     */
    @ParameterizedTest
    @ValueSource(strings = {"birth", "change", "birth without conditional create"})
    void severalPatientsWithTheNikAreADuplicateTheAgencyMustResolve(String delivery) {
        Citizen citizen = fixtures.citizen();
        for (int i = 0; i < 2; i++) {
            Patient duplicate = new Patient();
            duplicate.addIdentifier().setSystem(HealthFhir.NIK_SYSTEM).setValue(citizen.nik());
            agency.create().resource(duplicate).execute();
        }
        int writes = sandbox.writes();
        CitizenEvent event = delivery.equals("change") ? fixtures.nameChange(citizen.nik(), "Dewi Sartika")
                : fixtures.birth(citizen);
        HealthConnector through = delivery.endsWith("without conditional create")
                ? new HealthConnector(sandbox.baseUrl(), TIMEOUT, false) : connector;

        assertThatThrownBy(() -> through.deliver(event))
                .isInstanceOfSatisfying(AgencyRejectedPermanentlyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AGENCY_MULTIPLE_MATCHES);
                    assertThat(e.agencyResponse()).contains("\"resourceType\":\"OperationOutcome\"")
                            .contains(delivery.equals("birth") ? "2 Patients match" : "multiple-matches")
                            .contains(Nik.mask(citizen.nik()))
                            .doesNotContain(citizen.nik());
                })
                .hasMessageContaining("several Patients")
                .hasMessageContaining(Nik.mask(citizen.nik()))
                .hasMessageNotContaining(citizen.nik());
        assertThat(sandbox.writes()).isEqualTo(writes);
    }

    @Test
    void aStoppedAgencyIsUnavailableAndTheSameUrlWorksOnceItIsBack() {
        Citizen citizen = fixtures.citizen();
        BirthRegistered birth = fixtures.birth(citizen);
        sandbox.stop();

        assertThatThrownBy(() -> connector.deliver(birth))
                .isInstanceOfSatisfying(AgencyUnavailableException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AGENCY_UNAVAILABLE);
                    assertThat(e.getCause()).isInstanceOf(FhirClientConnectionException.class);
                })
                .hasMessageContaining(Nik.mask(citizen.nik()))
                .hasMessageNotContaining(citizen.nik());

        sandbox.start();
        connector.deliver(birth);
        assertThat(patient(citizen).getNameFirstRep().getText()).isEqualTo(citizen.fullName());
    }

    /**
     * The agency accepts the connection but never answers. Result: the delivery gives up with its own timeout
     * (AgencyUnavailableException naming it), instead of waiting for ever; how long that takes is not measured here.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAgencyThatDoesNotAnswerTimesOut() throws IOException {
        // Accepts connections (the kernel completes the handshake) but never answers a request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HealthConnector impatient = new HealthConnector("http://127.0.0.1:" + silent.getLocalPort() + "/fhir",
                    Duration.ofMillis(300));
            assertThatThrownBy(() -> impatient.deliver(fixtures.birth()))
                    .isInstanceOf(AgencyUnavailableException.class)
                    .hasMessageContaining("Timeout");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void serverErrorsAndComeBackLaterAreUnavailable(int status) {
        sandbox.setFailWith(status);

        assertThatThrownBy(() -> connector.deliver(fixtures.birth()))
                .isInstanceOf(AgencyUnavailableException.class)
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining("set to fail every request");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 422})
    void refusalsAreRejectionsWithTheAgencysDiagnostics(int status) {
        sandbox.setFailWith(status);

        assertThatThrownBy(() -> connector.deliver(fixtures.birth()))
                .isInstanceOfSatisfying(AgencyRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AGENCY_REJECTED))
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining("the health sandbox is set to fail every request with HTTP " + status);
    }

    @Test
    void aPatientTheAgencyFindsInvalidIsRejectedWithItsOperationOutcome() {
        Citizen valid = fixtures.citizen();
        String badSerial = valid.nik().substring(0, 12) + "0000";
        Citizen invalid = new Citizen(badSerial, valid.familyCardNumber(), valid.fullName(), valid.birthPlace(),
                valid.birthDate(), valid.sex(), valid.religion(), valid.maritalStatus(), valid.occupation(),
                valid.nationality(), valid.motherNik(), valid.fatherNik(), valid.address());
        int writes = sandbox.writes();

        assertThatThrownBy(() -> connector.deliver(fixtures.birth(invalid)))
                .isInstanceOf(AgencyRejectedException.class)
                .hasMessageContaining("HTTP 422")
                .hasMessageContaining("error value: Patient.identifier[0].value: not a valid NIK")
                .hasMessageContaining("@ Patient.identifier[0].value")
                .hasMessageNotContaining(badSerial)
                .satisfies(e -> assertThat(((AgencyRejectedException) e).agencyResponse())
                        .contains("not a valid NIK").doesNotContain(badSerial));
        assertThat(sandbox.writes()).isEqualTo(writes);
    }

    @Test
    void anEventWithoutNikOrEventIdIsRejectedWithoutAskingTheAgency() {
        sandbox.setFailWith(503);
        String nik = fixtures.citizen().nik();

        assertThatThrownBy(() -> connector.deliver(new NameChanged(UUID.randomUUID(), OffsetDateTime.now(), null,
                "Budi"))).isInstanceOfSatisfying(AgencyRejectedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSLATION_FAILED));
        assertThatThrownBy(() -> connector.deliver(new NameChanged(null, OffsetDateTime.now(), nik, "Budi")))
                .isInstanceOf(AgencyRejectedException.class).hasMessageContaining("event id");
        assertThatThrownBy(() -> connector.deliver(new BirthRegistered(UUID.randomUUID(), OffsetDateTime.now(),
                null))).isInstanceOf(AgencyRejectedException.class);
    }

    @Test
    void manyCitizensDeliveredInParallelEachEndAsOneValidPatient() throws Exception {
        List<Citizen> citizens = java.util.stream.IntStream.range(0, 24).mapToObj(i -> fixtures.citizen()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> lives = citizens.stream().<Future<?>>map(citizen -> pool.submit(() -> {
                // One citizen's events in order on one thread, as the bus's message groups deliver them.
                connector.deliver(fixtures.birth(citizen));
                connector.deliver(fixtures.addressChange(citizen.nik(), fixtures.otherAddress(citizen.address())));
                connector.deliver(fixtures.marriage(citizen.nik(), fixtures.citizen().nik(),
                        citizen.birthDate().plusYears(30)));
            })).toList();
            for (Future<?> life : lives) {
                life.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (Citizen citizen : citizens) {
            Patient patient = patient(citizen);
            assertThat(patient.getMeta().getVersionId()).isEqualTo("3");
            assertThat(PatientReader.citizen(patient).maritalStatus()).isEqualTo(MaritalStatus.MARRIED);
            assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
        }
    }

    @Test
    void aConnectorNeedsAUrlAndAPositiveTimeout() {
        assertThatThrownBy(() -> new HealthConnector(" ", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthConnector(sandbox.baseUrl(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Patient patient(Citizen citizen) {
        return sandbox.patientByNik(citizen.nik()).orElseThrow(() -> new AssertionError("no Patient for "
                + Nik.mask(citizen.nik())));
    }

    private static boolean hasNik(Patient patient, String nik) {
        return patient.getIdentifier().stream()
                .anyMatch(i -> HealthFhir.NIK_SYSTEM.equals(i.getSystem()) && nik.equals(i.getValue()));
    }

    /** The agency (a hospital desk) adds a phone number to the Patient, with its own versioned update. */
    private static void agencyAddsPhone(Citizen citizen) {
        Patient patient = patient(citizen);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue("+62812" + (10_000_000 + patient.getTelecom().size()));
        agency.update().resource(patient).execute();
    }
}
