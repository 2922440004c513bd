package id.jembatan.schema.model;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A marriage, recorded on the record of {@code nik}; the registry sends one event for each spouse. */
public record MarriageRegistered(UUID eventId, OffsetDateTime occurredAt, String nik, String spouseNik,
                                 LocalDate dateOfMarriage) implements CitizenEvent {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public EventType eventType() {
        return EventType.MARRIAGE_REGISTERED;
    }
}
