package id.jembatan.schema.model;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A divorce, recorded on the record of {@code nik}; the registry sends one event for each former spouse. */
public record DivorceRegistered(UUID eventId, OffsetDateTime occurredAt, String nik, String spouseNik,
                                LocalDate dateOfDivorce) implements CitizenEvent {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public EventType eventType() {
        return EventType.DIVORCE_REGISTERED;
    }
}
