package id.jembatan.schema.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A fact a non-owner agency reports to the owner for confirmation (DESIGN flow 4), in its canonical form: it is
 * routed to the owner and changes nothing until the owner sends its own event. The JSON property {@code type}
 * selects the record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DeathReported.class, name = "DeathReported"),
        @JsonSubTypes.Type(value = AddressReported.class, name = "AddressReported")
})
public sealed interface OwnerNotification permits DeathReported, AddressReported {

    /** Unique per notification, chosen by the sender: a repeat with the same id reaches the owner once. */
    UUID notificationId();

    /** When the reporter made the report, with the reporter's offset. */
    OffsetDateTime reportedAt();

    /** The NIK of the citizen the fact is about; the message group on the broker. */
    @JsonIgnore
    String subjectNik();

    @JsonIgnore
    NotificationType notificationType();
}
