package id.jembatan.it;

import id.jembatan.schema.fixtures.CitizenFixtures;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.connector.health.PatientReader;
import id.jembatan.connector.health.InterferingProxy;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.operations.DeliverySwitch;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.schema.model.Address;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.MaritalStatus;
import id.jembatan.schema.model.NameChanged;
import id.jembatan.schema.rules.Nik;
import jakarta.jms.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus delivering to the FHIR servers health agencies actually run, each in turn at the health agency's URL: the
 * demo's health sandbox and HAPI FHIR's JPA server (8.8, H2), whose semantics the bus must not lose data under: it
 * reuses a search's results for 60 s, ignores If-Match on a conditional update, answers 409 to an outdated If-Match
 * on an update by id, and 412 to a conditional create that matches several Patients.
 *
 * <p>For each test the bus's own sandbox stops and a forwarding proxy takes its port, in front of the server under
 * test, so that "the agency" can change a Patient between the bus's read and its write; afterwards the sandbox
 * serves again. The JPA server starts once, on the first test that needs it.
 */
class HealthAgencyServersIT extends BusTestSupport {

    /** The FHIR servers the scenarios run against. */
    enum Server { SANDBOX, HAPI_JPA }

    private static HapiJpaServer hapi;
    private static HealthSandbox ownSandbox;

    private final HealthTranslator translator = new HealthTranslator();

    @Autowired
    HealthSandbox busSandbox;

    @Autowired
    ApplicationContext bus;

    private InterferingProxy proxy;
    private IGenericClient agency;

    @AfterEach
    void theBusSandboxServesAgain() {
        if (proxy != null) {
            proxy.close();
        }
        busSandbox.start();
    }

    @AfterAll
    static void stopServers() {
        if (hapi != null) {
            hapi.close();
        }
        if (ownSandbox != null) {
            ownSandbox.stop();
        }
    }

    /**
     * A clinic searches the NIK of a citizen the agency does not know (the server keeps that empty result for 60 s);
     * the birth is delivered (201); within the minute a name change follows. Result: the clinic's own search still
     * answers from its cache, but the bus's does not: the Patient gets the new name and keeps gender, birth date and
     * address; it is the one Patient with the NIK, carries both events' tags, and passes HAPI's R4 validator.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aNameChangeWithinTheSearchCacheMinuteKeepsWhatTheAgencyHolds(Server server) throws IOException {
        deliverTo(server, 0, () -> { });
        BirthRegistered birth = citizens.birth();
        Citizen citizen = birth.citizen();
        long searchedAt = System.nanoTime();
        assertThat(clinicSearch(citizen.nik())).isEmpty();

        publish(birth);
        Patient born = awaitPatient(citizen.nik(), p -> true);
        if (Duration.ofNanos(System.nanoTime() - searchedAt).compareTo(Duration.ofSeconds(50)) < 0) {
            assertThat(clinicSearch(citizen.nik())).as("the clinic's search, answered from the cache").isEmpty();
        }
        NameChanged rename = citizens.nameChange(citizen.nik(), "Putri Ayu Lestari");
        publish(rename);

        Patient renamed = awaitPatient(citizen.nik(), p -> "Putri Ayu Lestari".equals(p.getNameFirstRep().getText()));
        Citizen held = PatientReader.citizen(renamed);
        assertThat(held.sex()).isEqualTo(citizen.sex());
        assertThat(held.birthDate()).isEqualTo(citizen.birthDate());
        assertThat(held.address()).isEqualTo(citizen.address());
        assertThat(renamed.getIdElement().getIdPart()).isEqualTo(born.getIdElement().getIdPart());
        assertThat(eventTags(renamed)).containsExactlyInAnyOrder("BirthRegistered", "NameChanged");
        assertThat(freshSearch(citizen.nik())).hasSize(1);
        assertValid(born);
        assertValid(renamed);
    }

    /**
     * After the birth, the agency (a hospital desk) adds a phone number to the Patient just before the bus's write
     * of a move arrives, between the bus's read and its write. Result: the bus's update by id with the version it
     * read is refused (409 on both servers); the bus reads the Patient again and applies the move to it: the phone
     * and the new address are both there, in version 3, and the Patient is R4-valid.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aPatientChangedBetweenTheBussReadAndWriteIsReadAgainAndNothingIsLost(Server server) throws IOException {
        BirthRegistered birth = citizens.birth();
        Citizen citizen = birth.citizen();
        deliverTo(server, 1, () -> agencyAddsPhone(citizen.nik()));
        publish(birth);
        awaitPatient(citizen.nik(), p -> true);
        Address moved = citizens.otherAddress(citizen.address());

        publish(citizens.addressChange(citizen.nik(), moved));

        Patient patient = awaitPatient(citizen.nik(), p -> moved.equals(PatientReader.citizen(p).address()));
        assertThat(patient.getTelecom()).extracting(ContactPoint::getValue).containsExactly("+6281311112222");
        assertThat(patient.getMeta().getVersionId()).isEqualTo("3");
        assertThat(proxy.puts()).as("the first PUT met the conflict, the second went through").isEqualTo(2);
        assertThat(PatientReader.citizen(patient).fullName()).isEqualTo(citizen.fullName());
        assertValid(patient);
    }

    /**
     * The agency holds two Patients with the NIK of a newborn (it registered the baby twice); the birth and then a
     * name change arrive. Result: each is dead-lettered in {@code dlq.health} at its first attempt (one request per
     * event reached the server, no retries) with code {@code AGENCY_MULTIPLE_MATCHES} and, in
     * {@code JembatanAgencyResponse}, an OperationOutcome (for the birth the server's own 412 answer) with the NIK
     * masked; neither Patient is changed.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void severalPatientsWithTheNikAreDeadLetteredAtTheFirstAttemptWithTheOperationOutcome(Server server)
            throws Exception {
        deliverTo(server, 0, () -> { });
        BirthRegistered birth = citizens.birth();
        String nik = birth.citizen().nik();
        for (int i = 0; i < 2; i++) {
            agency.create().resource(translator.toPatient(birth.citizen())).execute();
        }
        NameChanged rename = citizens.nameChange(nik, "Dewi Sartika");

        publish(birth);
        publish(rename);

        for (CitizenEvent event : List.of(birth, rename)) {
            Message dead = awaitDeadLetter("health", event.eventId(), DEFAULT_WAIT);
            assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("AGENCY_MULTIPLE_MATCHES");
            assertThat(dead.getStringProperty("JembatanErrorReason")).contains(Nik.mask(nik)).doesNotContain(nik);
            String response = dead.getStringProperty("JembatanAgencyResponse");
            assertThat(response).doesNotContain(nik);
            OperationOutcome outcome = HealthFhir.context().newJsonParser()
                    .parseResource(OperationOutcome.class, response);
            assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        }
        List<String> requests = proxy.requests().stream()
                .map(r -> URLDecoder.decode(r, StandardCharsets.UTF_8)).filter(r -> r.contains(nik)).toList();
        assertThat(requests).as("one conditional create for the birth").containsExactly(
                "POST /Patient If-None-Exist: identifier=" + HealthFhir.NIK_SYSTEM + "|" + nik);
        assertThat(proxy.requests()).filteredOn(r -> r.startsWith("GET /Patient Cache-Control"))
                .as("one search for the name change").hasSize(1);
        assertThat(freshSearch(nik)).hasSize(2).allSatisfy(p -> {
            assertThat(p.getMeta().getVersionId()).isEqualTo("1");
            assertThat(p.getNameFirstRep().getText()).isEqualTo(birth.citizen().fullName());
        });
    }

    /**
     * Events wait together in the health agency's queue (its delivery paused): three births of citizens the agency
     * does not know, the move of a citizen it holds, and the birth of a newborn it holds twice (registered twice at
     * the desk); then delivery resumes. Result: they go in FHIR batch Bundles posted to the base (no request names
     * a newborn's NIK); the duplicated newborn alone is dead-lettered with {@code AGENCY_MULTIPLE_MATCHES} and the
     * server's OperationOutcome; the three newborns are one Patient each and the moved citizen's Patient shows the
     * new address, each R4-valid.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void eventsWaitingTogetherGoInBatchBundlesAndARefusedEntryIsDeadLetteredAlone(Server server) throws Exception {
        deliverTo(server, 0, () -> { });
        Citizen moving = citizens.citizen();
        publish(citizens.birth(moving));
        awaitPatient(moving.nik(), p -> true);
        BirthRegistered twice = citizens.birth();
        for (int i = 0; i < 2; i++) {
            agency.create().resource(translator.toPatient(twice.citizen())).execute();
        }
        List<BirthRegistered> births = List.of(citizens.birth(), citizens.birth(), citizens.birth());
        Address moved = citizens.otherAddress(moving.address());
        DeliverySwitch health = bus.getBean(DeliverySwitch.class);

        health.pause("health");
        try {
            births.forEach(this::publish);
            publish(citizens.addressChange(moving.nik(), moved));
            publish(twice);
            await("five events wait for health").atMost(DEFAULT_WAIT).until(() -> brokerQueue("citizen.events",
                    "health", RoutingType.MULTICAST).getMessageCount() == 5);
        } finally {
            health.resume("health");
        }

        Message dead = awaitDeadLetter("health", twice.eventId(), DEFAULT_WAIT);
        assertThat(dead.getStringProperty("JembatanErrorCode")).isEqualTo("AGENCY_MULTIPLE_MATCHES");
        assertThat(dead.getStringProperty("JembatanAgencyResponse")).doesNotContain(twice.citizen().nik());
        for (BirthRegistered birth : births) {
            Patient born = awaitPatient(birth.citizen().nik(), p -> true);
            assertThat(freshSearch(birth.citizen().nik())).hasSize(1);
            assertValid(born);
            assertThat(proxy.requests()).noneMatch(r -> URLDecoder.decode(r, StandardCharsets.UTF_8)
                    .contains(birth.citizen().nik()));
        }
        Patient patient = awaitPatient(moving.nik(), p -> moved.equals(PatientReader.citizen(p).address()));
        assertValid(patient);
        assertThat(proxy.requests()).anyMatch(r -> r.startsWith("POST  ") || r.startsWith("POST / "));
    }

    /**
     * A citizen is registered, moves, marries and dies. Result: after every step the server holds one Patient for
     * the NIK that shows the change, still carries everything earlier steps wrote, and passes HAPI's R4 validator.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aLifeEndsAsOneValidPatientWithEveryChange(Server server) throws IOException {
        deliverTo(server, 0, () -> { });
        BirthRegistered birth = citizens.birth();
        Citizen citizen = birth.citizen();
        publish(birth);
        assertValid(awaitPatient(citizen.nik(), p -> true));

        Address moved = citizens.otherAddress(citizen.address());
        publish(citizens.addressChange(citizen.nik(), moved));
        assertValid(awaitPatient(citizen.nik(), p -> moved.equals(PatientReader.citizen(p).address())));
        BirthRegistered spouse = citizens.birth();
        publish(spouse);
        publish(citizens.marriage(citizen.nik(), spouse.citizen().nik(), CitizenFixtures.today().minusDays(9)));
        assertValid(awaitPatient(citizen.nik(),
                p -> PatientReader.citizen(p).maritalStatus() == MaritalStatus.MARRIED));
        LocalDate died = CitizenFixtures.today().minusDays(1);
        publish(citizens.death(citizen.nik(), died));
        Patient dead = awaitPatient(citizen.nik(), Patient::hasDeceasedDateTimeType);

        assertValid(dead);
        Citizen held = PatientReader.citizen(dead);
        assertThat(held.fullName()).isEqualTo(citizen.fullName());
        assertThat(held.birthDate()).isEqualTo(citizen.birthDate());
        assertThat(held.address()).isEqualTo(moved);
        assertThat(dead.getDeceasedDateTimeType().getValueAsString()).isEqualTo(died.toString());
        assertThat(eventTags(dead)).containsExactlyInAnyOrder("BirthRegistered", "AddressChanged", "MarriageRegistered",
                "DeathRegistered");
        assertThat(freshSearch(citizen.nik())).hasSize(1);
    }

    /**
     * The bus these tests (and every other in this module) run is the bus as shipped, although the JPA server's
     * libraries share its classpath. Result: it has no JPA EntityManagerFactory or JPA transaction manager, no Quartz
     * scheduler and no Elasticsearch client ({@link HapiJpaServerLibrariesFilter}).
     */
    @Test
    void theBusUnderTestHasNoneOfTheJpaServersMachinery() {
        assertThat(bus.getBeanNamesForType(jakarta.persistence.EntityManagerFactory.class)).isEmpty();
        assertThat(bus.getBeanNamesForType(org.springframework.orm.jpa.JpaTransactionManager.class)).isEmpty();
        assertThat(bus.getBeanNamesForType(org.quartz.Scheduler.class)).isEmpty();
        assertThat(bus.getBeanNamesForType(org.elasticsearch.client.RestClient.class)).isEmpty();
        assertThat(bus.getBeanNamesForType(org.thymeleaf.ITemplateEngine.class)).isEmpty();
    }

    /**
     * Puts {@code server} behind a proxy on the health agency's port (where the bus delivers), the bus's sandbox
     * stopped meanwhile; for the first {@code interferences} PUTs the proxy runs {@code agencyChange} first.
     */
    private void deliverTo(Server server, int interferences, Runnable agencyChange) throws IOException {
        String target = switch (server) {
            case SANDBOX -> sandbox().baseUrl();
            case HAPI_JPA -> hapi().baseUrl();
        };
        agency = client(target);
        busSandbox.stop();
        proxy = new InterferingProxy(target, busSandbox.port(), interferences, agencyChange);
    }

    private static synchronized HealthSandbox sandbox() {
        if (ownSandbox == null) {
            ownSandbox = new HealthSandbox(0);
            ownSandbox.start();
        }
        return ownSandbox;
    }

    private static synchronized HapiJpaServer hapi() {
        if (hapi == null) {
            hapi = new HapiJpaServer();
            hapi.listen(0);
        }
        return hapi;
    }

    /** A search as a clinic makes it: without saying anything about caches. */
    private List<Patient> clinicSearch(String nik) {
        return patients(agency.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .returnBundle(Bundle.class).execute());
    }

    /** What the server holds now: a search no cache may answer. */
    private List<Patient> freshSearch(String nik) {
        return patients(agency.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute());
    }

    private Patient awaitPatient(String nik, Predicate<Patient> condition) {
        return await("a Patient for " + Nik.mask(nik)).atMost(DEFAULT_WAIT).until(
                () -> freshSearch(nik).stream().filter(condition).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The agency's own change: a phone number, with a read and a versioned update by id of its own. */
    private void agencyAddsPhone(String nik) {
        Patient patient = freshSearch(nik).get(0);
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+6281311112222");
        agency.update().resource(patient).execute();
    }

    private static List<Patient> patients(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).map(Patient.class::cast).toList();
    }

    private static List<String> eventTags(Patient patient) {
        return patient.getMeta().getTag().stream().filter(tag -> HealthFhir.EVENT_ID_TAG_SYSTEM.equals(tag.getSystem()))
                .map(Coding::getDisplay).toList();
    }

    private static IGenericClient client(String baseUrl) {
        ApacheRestfulClientFactory factory = new ApacheRestfulClientFactory(HealthFhir.context());
        factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
        return factory.newGenericClient(baseUrl);
    }

    private static void assertValid(Patient patient) {
        assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
    }
}
