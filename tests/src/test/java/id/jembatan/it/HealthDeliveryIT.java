package id.jembatan.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.sandbox.health.HealthSandbox;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Health receives FHIR R4 Patients, identified by NIK and written by conditional update on that identifier. */
class HealthDeliveryIT extends BusTestSupport {

    private final CitizenFixtures fixtures = new CitizenFixtures();

    @Autowired
    HealthSandbox health;

    /**
     * A citizen is registered, moves, changes name, marries and dies. Result: the FHIR server holds one Patient
     * for the NIK that shows each change (address with region codes, name, marital status, deceasedDateTime), that
     * a FHIR client finds with {@code Patient?identifier=}, and that passes HAPI FHIR's R4 validator after every
     * step.
     */
    @Test
    void aLifeReachesTheFhirServerAsOnePatient() {
        BirthRegistered birth = fixtures.birth();
        String nik = birth.citizen().nik();
        post(birth);
        Patient registered = awaitPatient(nik, p -> true);
        assertThat(registered.getBirthDateElement().getValueAsString())
                .isEqualTo(birth.citizen().birthDate().toString());
        assertThat(registered.getGender()).isEqualTo(
                birth.citizen().sex().name().equals("FEMALE")
                        ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
        assertValid(registered);

        var moved = fixtures.addressChange(nik, fixtures.otherAddress(birth.citizen().address()));
        post(moved);
        Patient afterMove = awaitPatient(nik, p -> p.getAddressFirstRep().getPostalCode()
                .equals(moved.address().postalCode()) && p.getAddressFirstRep().getLine().toString()
                .contains(moved.address().street()));
        assertThat(HealthFhir.context().newJsonParser().encodeResourceToString(afterMove))
                .contains(moved.address().villageCode());
        assertValid(afterMove);

        post(fixtures.nameChange(nik, "Putri Ayu Lestari"));
        awaitPatient(nik, p -> p.getNameFirstRep().getText().equals("Putri Ayu Lestari"));
        BirthRegistered spouse = fixtures.birth();
        post(spouse);
        post(fixtures.marriage(nik, spouse.citizen().nik(), CitizenFixtures.today().minusDays(9)));
        awaitPatient(nik, p -> "M".equals(p.getMaritalStatus().getCodingFirstRep().getCode()));
        post(fixtures.death(nik, CitizenFixtures.today().minusDays(1)));
        Patient dead = awaitPatient(nik, Patient::hasDeceasedDateTimeType);
        assertThat(dead.getDeceasedDateTimeType().getValueAsString())
                .isEqualTo(CitizenFixtures.today().minusDays(1).toString());
        assertValid(dead);

        IGenericClient client = HealthFhir.context().newRestfulGenericClient(health.baseUrl());
        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(HealthFhir.NIK_SYSTEM, nik))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }

    private void post(CitizenEvent event) {
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(event)).statusCode())
                .as(event.eventType().wireName()).isEqualTo(202);
    }

    private Patient awaitPatient(String nik, java.util.function.Predicate<Patient> condition) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> health.patientByNik(nik).filter(condition).isPresent());
        return health.patientByNik(nik).orElseThrow();
    }

    private static void assertValid(Patient patient) {
        assertThat(R4Validator.errors(patient)).extracting(R4Validator::describe).isEmpty();
    }
}
