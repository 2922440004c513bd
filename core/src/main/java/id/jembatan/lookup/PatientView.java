package id.jembatan.lookup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.connector.health.HealthTranslator;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Citizen;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A citizen as an agency may read it ({@link LookupService#project}: the NIK and the allowed fields) as the FHIR R4
 * Patient the health agency receives ({@link HealthTranslator}): the answer of a FHIR lookup and a line of a bulk
 * export alike.
 */
public final class PatientView {

    private static final Set<String> CITIZEN_FIELDS = Arrays.stream(Citizen.class.getRecordComponents())
            .map(c -> c.getName()).collect(Collectors.toUnmodifiableSet());

    private static final HealthTranslator TRANSLATOR = new HealthTranslator();

    private PatientView() {
    }

    /** The Patient with id and identifier the NIK, built from the view's fields only. */
    public static Patient toPatient(ObjectNode view) {
        ObjectNode citizenOnly = view.deepCopy();
        citizenOnly.retain(CITIZEN_FIELDS);
        Citizen citizen = CanonicalJson.mapper().convertValue(citizenOnly, Citizen.class);
        Patient patient = TRANSLATOR.toPatient(citizen);
        patient.setId(citizen.nik());
        if (view.hasNonNull("dateOfDeath")) {
            patient.setDeceased(new DateTimeType(view.get("dateOfDeath").asText()));
        } else if (view.has("deceased") && view.get("deceased").asBoolean()) {
            patient.setDeceased(new BooleanType(true));
        }
        return patient;
    }
}
