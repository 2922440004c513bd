package id.jembatan.schema.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The notifications a non-owner may send; the names are the {@code type} values of the v1 contract. Each is
 * confirmed, if at all, by the owner's own event of {@link #confirmedBy()}: the owner of that event type is who the
 * notification is for, and who may not send it.
 */
public enum NotificationType {
    DEATH_REPORTED("DeathReported", "death-reported", EventType.DEATH_REGISTERED),
    ADDRESS_REPORTED("AddressReported", "address-reported", EventType.ADDRESS_CHANGED);

    private final String wireName;
    private final String schemaName;
    private final EventType confirmedBy;

    NotificationType(String wireName, String schemaName, EventType confirmedBy) {
        this.wireName = wireName;
        this.schemaName = schemaName;
        this.confirmedBy = confirmedBy;
    }

    /** The value of the {@code type} field, e.g. {@code DeathReported}. */
    public String wireName() {
        return wireName;
    }

    /** The base name of the JSON Schema file, e.g. {@code death-reported}. */
    public String schemaName() {
        return schemaName;
    }

    /** The owner's event that confirms the reported fact. */
    public EventType confirmedBy() {
        return confirmedBy;
    }

    public static Optional<NotificationType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
