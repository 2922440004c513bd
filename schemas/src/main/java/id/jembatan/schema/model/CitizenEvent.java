package id.jembatan.schema.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A life event published by the civil registry: the canonical form every agency format is translated from.
 * The JSON property {@code type} selects the record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BirthRegistered.class, name = "BirthRegistered"),
        @JsonSubTypes.Type(value = DeathRegistered.class, name = "DeathRegistered"),
        @JsonSubTypes.Type(value = AddressChanged.class, name = "AddressChanged"),
        @JsonSubTypes.Type(value = NameChanged.class, name = "NameChanged"),
        @JsonSubTypes.Type(value = MarriageRegistered.class, name = "MarriageRegistered"),
        @JsonSubTypes.Type(value = DivorceRegistered.class, name = "DivorceRegistered"),
        @JsonSubTypes.Type(value = CitizenSnapshot.class, name = "CitizenSnapshot")
})
public sealed interface CitizenEvent
        permits BirthRegistered, DeathRegistered, AddressChanged, NameChanged, MarriageRegistered, DivorceRegistered,
        CitizenSnapshot {

    /** Unique per event, chosen by the sender; the idempotency key everywhere downstream. */
    UUID eventId();

    OffsetDateTime occurredAt();

    /** The NIK of the citizen whose record the event changes; the message group on the broker. */
    @JsonIgnore
    String subjectNik();

    @JsonIgnore
    EventType eventType();
}
