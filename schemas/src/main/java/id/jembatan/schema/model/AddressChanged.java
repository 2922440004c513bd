package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A move: the whole new domicile address. */
public record AddressChanged(UUID eventId, OffsetDateTime occurredAt, String nik, Address address)
        implements CitizenEvent {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public EventType eventType() {
        return EventType.ADDRESS_CHANGED;
    }
}
