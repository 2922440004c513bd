package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A new citizen: the only event that creates a master record. */
public record BirthRegistered(UUID eventId, OffsetDateTime occurredAt, Citizen citizen) implements CitizenEvent {

    @Override
    public String subjectNik() {
        return citizen.nik();
    }

    @Override
    public EventType eventType() {
        return EventType.BIRTH_REGISTERED;
    }
}
