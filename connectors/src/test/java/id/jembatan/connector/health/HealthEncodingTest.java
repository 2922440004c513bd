package id.jembatan.connector.health;

import ca.uhn.fhir.context.FhirContext;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import id.jembatan.schema.model.CitizenEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the health connector puts on the wire does not depend on the shared context's parser options: the context
 * skips HAPI's search for resources to contain ({@link HealthFhir#context()}), and the JSON is the same as with
 * HAPI's defaults.
 */
class HealthEncodingTest {

    private final CitizenFixtures fixtures = new CitizenFixtures();
    private final HealthTranslator translator = new HealthTranslator();

    /**
     * A batch Bundle as the connector sends it: the conditional creates of two births, and the update by id of a
     * Patient a move, a name change, a marriage and a death were applied to (address with the region codes
     * extension, official name, marital status, deceased date, the events' tags). Result: the shared context has
     * the option off while a context with HAPI's defaults has it on, and both encode the Bundle (and a Patient alone,
     * as the one-by-one path sends it) to the same JSON, byte for byte.
     */
    @Test
    void theBundleIsEncodedAsWithHapisDefaults() {
        FhirContext defaults = FhirContext.forR4();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
        for (BirthRegistered birth : List.of(fixtures.birth(), fixtures.birth())) {
            Patient patient = translator.newPatient(birth);
            PatientEvents.tag(patient, birth);
            bundle.addEntry().setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                    .setIfNoneExist(Patient.SP_IDENTIFIER + "=" + HealthFhir.NIK_SYSTEM + "|" + birth.subjectNik());
        }
        BirthRegistered born = fixtures.birth();
        String nik = born.subjectNik();
        Patient changed = translator.newPatient(born);
        changed.setId("Patient/42");
        for (CitizenEvent event : List.<CitizenEvent>of(
                fixtures.addressChange(nik, fixtures.otherAddress(born.citizen().address())),
                fixtures.nameChange(nik, "Siti Rahmawati Putri"),
                fixtures.marriage(nik, fixtures.citizen().nik(), CitizenFixtures.today()),
                fixtures.death(nik, CitizenFixtures.today()))) {
            translator.apply(event, changed);
            PatientEvents.tag(changed, event);
        }
        bundle.addEntry().setResource(changed).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/42")
                .setIfMatch("W/\"3\"");

        assertThat(HealthFhir.context().getParserOptions().isAutoContainReferenceTargetsWithNoId()).isFalse();
        assertThat(defaults.getParserOptions().isAutoContainReferenceTargetsWithNoId()).isTrue();
        String encoded = HealthFhir.context().newJsonParser().encodeResourceToString(bundle);
        assertThat(encoded).contains("administrativeCode", "deceasedDateTime", "ifNoneExist", "ifMatch")
                .isEqualTo(defaults.newJsonParser().encodeResourceToString(bundle));
        assertThat(HealthFhir.context().newJsonParser().encodeResourceToString(changed))
                .isEqualTo(defaults.newJsonParser().encodeResourceToString(changed));
    }
}
