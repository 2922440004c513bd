package id.jembatan.schema.model;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A death reported by a non-owner (a hospital) to the civil registry, which confirms it, or not, with its own
 * {@link DeathRegistered}. {@code reference} is the reporter's own case id (free text), for the owner to ask back.
 */
public record DeathReported(UUID notificationId, String nik, LocalDate dateOfDeath, String placeOfDeath,
                            OffsetDateTime reportedAt, String reference) implements OwnerNotification {

    @Override
    public String subjectNik() {
        return nik;
    }

    @Override
    public NotificationType notificationType() {
        return NotificationType.DEATH_REPORTED;
    }
}
