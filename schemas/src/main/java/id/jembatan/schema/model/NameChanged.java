package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A change of full name (by court decision). */
public record NameChanged(UUID eventId, OffsetDateTime occurredAt, String nik, String fullName)
        implements CitizenEvent {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public EventType eventType() {
        return EventType.NAME_CHANGED;
    }
}
