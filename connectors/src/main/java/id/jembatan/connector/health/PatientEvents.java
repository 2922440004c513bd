package id.jembatan.connector.health;

import id.jembatan.schema.model.CitizenEvent;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;
import java.util.UUID;

/**
 * The events a Patient has had applied ({@code meta.tag} with system {@value HealthFhir#EVENT_ID_TAG_SYSTEM}) and the
 * Patients a search by NIK found: what the health connector's one-by-one and batch paths both read.
 */
final class PatientEvents {

    private PatientEvents() {
    }

    /** The Patients a searchset matched (not those it included), by id without version. */
    static List<IIdType> matches(Bundle searchset) {
        return searchset.getEntry().stream()
                .filter(entry -> entry.getResource() instanceof Patient)
                .filter(entry -> !entry.hasSearch() || entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                .<IIdType>map(entry -> entry.getResource().getIdElement().toUnqualifiedVersionless())
                .toList();
    }

    /** Marks the Patient as having had the event applied, so that a repeat of it is recognised. */
    static void tag(Patient patient, CitizenEvent event) {
        patient.getMeta().addTag(HealthFhir.EVENT_ID_TAG_SYSTEM, event.eventId().toString(),
                event.eventType().wireName());
    }

    /** Whether the event was applied to the Patient already (a repeat). */
    static boolean applied(Patient patient, UUID eventId) {
        return patient.getMeta().getTag(HealthFhir.EVENT_ID_TAG_SYSTEM, eventId.toString()) != null;
    }
}
