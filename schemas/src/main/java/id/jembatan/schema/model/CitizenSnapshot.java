package id.jembatan.schema.model;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A citizen's whole current master record, as a sync job (initial load, resync) delivers it to an agency: not a life
 * event of the registry, and never accepted from one. Read from the master index when it is delivered, so it is
 * never older than what the agency already received about the citizen.
 *
 * @param eventId      the idempotency key: the same for the same sync, citizen and record version, so a repeat after
 *                     a crash is recognised by the agency as before
 * @param occurredAt   when the record last changed
 * @param citizen      the record's identity, birth, family and address fields (as the agency may receive them)
 * @param spouseNik    the current spouse, if married
 * @param dateOfDeath  the registered date of death, if deceased
 * @param placeOfDeath where the citizen died, if known
 */
public record CitizenSnapshot(UUID eventId, OffsetDateTime occurredAt, Citizen citizen, String spouseNik,
                              LocalDate dateOfDeath, String placeOfDeath) implements CitizenEvent {

    @Override
    public String subjectNik() {
        return citizen == null ? null : citizen.nik();
    }

    @Override
    public EventType eventType() {
        return EventType.CITIZEN_SNAPSHOT;
    }
}
