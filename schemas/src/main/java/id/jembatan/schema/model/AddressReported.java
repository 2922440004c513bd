package id.jembatan.schema.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An address a non-owner learned (the tax office, from a taxpayer's return) reported to the civil registry, which
 * records a move, or not, with its own {@link AddressChanged}. {@code reference} is the reporter's own case id (free
 * text), for the owner to ask back.
 */
public record AddressReported(UUID notificationId, String nik, Address address, OffsetDateTime reportedAt,
                              String reference) implements OwnerNotification {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public NotificationType notificationType() {
        return NotificationType.ADDRESS_REPORTED;
    }
}
