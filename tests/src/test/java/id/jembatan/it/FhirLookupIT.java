package id.jembatan.it;

import id.jembatan.connector.health.HealthFhir;
import id.jembatan.connector.health.R4Validator;
import id.jembatan.schema.fixtures.CitizenFixtures;
import id.jembatan.schema.model.BirthRegistered;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static id.jembatan.schema.fixtures.CitizenFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /fhir/Patient?identifier=…|{nik}} on the bus: the once-only lookup for FHIR clients. */
class FhirLookupIT extends BusTestSupport {

    private static final String HEALTH_KEY = "demo-health-key";

    private final CitizenFixtures fixtures = new CitizenFixtures();

    /**
     * Health searches a registered citizen by NIK. Result: a searchset Bundle with one Patient that passes HAPI's
     * R4 validator and carries only what health may read (no religion, occupation, family card or father).
     */
    @Test
    void healthFindsThePatientWithItsFieldsOnly() {
        BirthRegistered birth = fixtures.birth();
        assertThat(postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth)).statusCode()).isEqualTo(202);

        HttpResponse<String> response = search(birth.citizen().nik(), HEALTH_KEY, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(R4Validator.errors(response.body())).extracting(R4Validator::describe).isEmpty();
        Bundle bundle = HealthFhir.context().newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(bundle.getEntry()).hasSize(1);
        Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
        assertThat(patient.getIdentifier()).anyMatch(i -> i.getSystem().equals(HealthFhir.NIK_SYSTEM)
                && i.getValue().equals(birth.citizen().nik()));
        assertThat(patient.getIdentifier()).noneMatch(i -> i.getSystem().equals(HealthFhir.FAMILY_CARD_SYSTEM));
        assertThat(patient.getNameFirstRep().getText()).isEqualTo(birth.citizen().fullName());
        assertThat(patient.getBirthDateElement().getValueAsString())
                .isEqualTo(birth.citizen().birthDate().toString());
        assertThat(response.body()).doesNotContain(birth.citizen().familyCardNumber())
                .doesNotContain(birth.citizen().occupation() == null ? "\u0000" : birth.citizen().occupation());
    }

    /** An unregistered NIK. Result: an empty searchset Bundle (total 0). */
    @Test
    void anUnknownNikGivesAnEmptyBundle() {
        HttpResponse<String> response = search(fixtures.citizen().nik(), HEALTH_KEY, null);

        assertThat(response.statusCode()).isEqualTo(200);
        Bundle bundle = HealthFhir.context().newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(bundle.getTotal()).isZero();
    }

    /**
     * The tax office searches without a purpose (it has no FHIR purpose), then with a purpose it has; a search
     * without a key; a search by another identifier system. Result: 403 OperationOutcome, then 200; 401; 400.
     */
    @Test
    void policyAndInputAreEnforced() {
        BirthRegistered birth = fixtures.birth();
        postJson("/api/v1/events", CIVIL_REGISTRY_KEY, json(birth));
        String nik = birth.citizen().nik();

        HttpResponse<String> denied = search(nik, TAX_KEY, null);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(HealthFhir.context().newJsonParser().parseResource(OperationOutcome.class, denied.body())
                .getIssueFirstRep().getDiagnostics()).contains("FHIR lookup purpose");
        assertThat(search(nik, TAX_KEY, "TAXPAYER_REGISTRATION").statusCode()).isEqualTo(200);
        assertThat(search(nik, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> otherSystem = send(request("/fhir/Patient?identifier="
                + URLEncoder.encode("http://example.org/mrn|123", StandardCharsets.UTF_8), HEALTH_KEY).GET());
        assertThat(otherSystem.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> search(String nik, String key, String purpose) {
        var request = request("/fhir/Patient?identifier="
                + URLEncoder.encode(HealthFhir.NIK_SYSTEM + "|" + nik, StandardCharsets.UTF_8), key)
                .header("Accept", "application/fhir+json");
        if (purpose != null) {
            request.header("X-Purpose", purpose);
        }
        return send(request.GET());
    }
}
