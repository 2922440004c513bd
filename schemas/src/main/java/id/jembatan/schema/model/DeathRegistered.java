package id.jembatan.schema.model;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The owner's confirmed death of a citizen. */
public record DeathRegistered(UUID eventId, OffsetDateTime occurredAt, String nik, LocalDate dateOfDeath,
                              String placeOfDeath) implements CitizenEvent {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public EventType eventType() {
        return EventType.DEATH_REGISTERED;
    }
}
