package id.jembatan.connector.licensing;

import id.jembatan.schema.model.Address;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of a licensing drop file: what the licensing office must do to the licences of one person. Fields the
 * licensing office may not receive, or that the action does not need, are null (an empty CSV cell).
 */
public record LicenceUpdate(UUID eventId, String eventType, OffsetDateTime occurredAt, Action action, String nik,
                            String fullName, LocalDate birthDate, Address address, LocalDate dateOfDeath) {

    /** What the licensing office does with the row. */
    public enum Action {
        /** A newly registered person: nothing to change, the identity is on file for later applications. */
        REGISTER,
        /** Reprint or update the address on the person's licences. */
        UPDATE_ADDRESS,
        /** Reprint the licences under the new name. */
        UPDATE_NAME,
        /** The holder died: revoke every licence they hold. */
        REVOKE,
        /**
         * The person's current record, from a sync (initial load, resync): bring the name, birth date and address on
         * file up to date, whatever they were.
         */
        UPDATE
    }
}
