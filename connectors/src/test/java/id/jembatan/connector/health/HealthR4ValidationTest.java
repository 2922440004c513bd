package id.jembatan.connector.health;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.Sex;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of Patient the translator produces passes HAPI FHIR's R4 validator without ERROR or FATAL, for two
 * hundred fixture citizens (a tenth of them babies) through every life event; and the validator does reject invalid
 * Patients, so these checks can fail.
 */
class HealthR4ValidationTest {

    private static final Instant NOW = Instant.parse("2026-11-20T01:15:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    /** What the validator may say about a valid Patient of ours, and why that is accepted. */
    private static final Set<String> ACCEPTED_NOTES = Set.of(
            // SATUSEHAT's own extensions: their definitions are not part of R4, the validator cannot know them.
            "Unknown extension " + HealthFhir.BIRTH_PLACE_URL,
            "Unknown extension " + HealthFhir.CITIZENSHIP_STATUS_URL,
            "Unknown extension " + HealthFhir.ADMINISTRATIVE_CODE_URL,
            // A best-practice recommendation (dom-6): the bus sends data, the agency renders its own narrative.
            "Constraint failed: dom-6: 'A resource should have narrative for robust management' (defined in "
                    + "http://hl7.org/fhir/StructureDefinition/DomainResource) (Best Practice Recommendation)");

    private final CitizenFixtures fixtures = new CitizenFixtures(Clock.fixed(NOW, ZoneOffset.UTC));
    private final HealthTranslator translator = new HealthTranslator(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeAll
    static void warmUp() {
        // Loading the R4 definitions takes seconds once; done here so no test's own time includes it.
        R4Validator.messages(new Patient());
    }

    @Test
    void everyPatientOfTwoHundredCitizensThroughEveryLifeEventIsValid() {
        List<Citizen> citizens = IntStream.range(0, 200)
                .mapToObj(i -> i % 10 == 0 ? fixtures.citizen(i % 20 == 0 ? Sex.FEMALE : Sex.MALE,
                        TODAY.minusDays(3 + i)) : fixtures.citizen())
                .toList();
        List<Labelled> patients = new ArrayList<>();
        for (int i = 0; i < citizens.size(); i++) {
            Citizen citizen = citizens.get(i);
            Patient patient = translator.toPatient(fixtures.birth(citizen));
            patients.add(new Labelled("BirthRegistered", patient.copy()));
            List<CitizenEvent> changes = changes(citizen);
            // Each citizen starts its life at another event, so every type is checked right after itself too.
            for (int k = 0; k < changes.size(); k++) {
                CitizenEvent change = changes.get((i + k) % changes.size());
                translator.apply(change, patient);
                if (k == 0 || k == changes.size() - 1) {
                    patients.add(new Labelled(change.eventType().wireName() + (k == 0 ? "" : " after all"),
                            patient.copy()));
                }
            }
            if (i < 50) {
                // A Patient made from a change alone is small; fifty cover every type ten times.
                CitizenEvent first = changes.get(i % changes.size());
                patients.add(new Labelled("new Patient from " + first.eventType().wireName(),
                        translator.newPatient(first)));
            }
        }

        Collection<String> problems = new ConcurrentLinkedQueue<>();
        Collection<String> notes = new ConcurrentLinkedQueue<>();
        patients.parallelStream().forEach(labelled -> {
            for (SingleValidationMessage message : R4Validator.messages(labelled.patient())) {
                if (R4Validator.isError(message) || !ACCEPTED_NOTES.contains(message.getMessage())) {
                    problems.add(labelled.label() + ": " + R4Validator.describe(message));
                } else {
                    notes.add(message.getMessage());
                }
            }
        });

        assertThat(patients).hasSize(650);
        assertThat(problems).isEmpty();
        Map<String, Long> counted = notes.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
        assertThat(counted.keySet()).as("every accepted note is still one the validator says")
                .containsExactlyInAnyOrderElementsOf(ACCEPTED_NOTES);
    }

    @Test
    void theValidatorRejectsInvalidPatients() {
        assertThat(R4Validator.errors("{\"resourceType\":\"Patient\",\"gender\":\"laki-laki\"}"))
                .extracting(SingleValidationMessage::getLocationString).contains("Patient.gender");
        assertThat(R4Validator.errors("{\"resourceType\":\"Patient\",\"birthDate\":\"1999-02-30\"}"))
                .isNotEmpty();
        assertThat(R4Validator.errors("{\"resourceType\":\"Patient\",\"contact\":[{\"gender\":\"female\"}]}"))
                .extracting(SingleValidationMessage::getMessage).anyMatch(m -> m.contains("pat-1"));
        assertThat(R4Validator.errors("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"nik\","
                + "\"value\":\"1\"}],\"nama\":\"Budi\"}")).isNotEmpty();

        Patient ours = translator.toPatient(fixtures.birth(fixtures.citizen()));
        assertThat(R4Validator.errors(ours)).isEmpty();
        // HL7's precinct extension is known to the validator: its value must be a string.
        Extension precinct = ours.getAddressFirstRep().getExtensionByUrl(HealthFhir.PRECINCT_URL);
        precinct.setValue(new IntegerType(1001));
        assertThat(R4Validator.messages(ours)).filteredOn(R4Validator::isError)
                .extracting(SingleValidationMessage::getLocationString)
                .anyMatch(location -> location.startsWith("Patient.address[0].extension[0]"));
        assertThat(R4Validator.messages(ours)).extracting(SingleValidationMessage::getSeverity)
                .contains(ResultSeverityEnum.ERROR);
    }

    private List<CitizenEvent> changes(Citizen citizen) {
        Citizen spouse = fixtures.citizen(citizen.sex() == Sex.FEMALE ? Sex.MALE : Sex.FEMALE,
                citizen.birthDate().minusYears(2));
        LocalDate married = citizen.birthDate().plusYears(25);
        return List.of(
                fixtures.addressChange(citizen.nik(), fixtures.otherAddress(citizen.address())),
                fixtures.nameChange(citizen.nik(), citizen.fullName().split(" ")[0] + " Kusuma"),
                fixtures.marriage(citizen.nik(), spouse.nik(), married),
                fixtures.divorce(citizen.nik(), spouse.nik(), married.plusYears(4)),
                fixtures.death(citizen.nik(), TODAY.minusDays(1)));
    }

    private record Labelled(String label, Patient patient) {
    }
}
