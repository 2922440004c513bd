package id.jembatan.schema.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The life events the civil registry publishes, and the bus's own {@code CitizenSnapshot} (a citizen's whole current
 * record, sent by a sync job); the names are the {@code type} values of the v1 contract. Only life events can be
 * sent, owned or subscribed to: {@link #fromWireName} and {@link #wireNames} know no other.
 */
public enum EventType {
    BIRTH_REGISTERED("BirthRegistered", "birth-registered"),
    DEATH_REGISTERED("DeathRegistered", "death-registered"),
    ADDRESS_CHANGED("AddressChanged", "address-changed"),
    NAME_CHANGED("NameChanged", "name-changed"),
    MARRIAGE_REGISTERED("MarriageRegistered", "marriage-registered"),
    DIVORCE_REGISTERED("DivorceRegistered", "divorce-registered"),
    /** Not a life event: a citizen's current master record, delivered by a sync job (initial load, resync). */
    CITIZEN_SNAPSHOT("CitizenSnapshot", "citizen-snapshot", false);

    private final String wireName;
    private final String schemaName;
    private final boolean lifeEvent;

    EventType(String wireName, String schemaName) {
        this(wireName, schemaName, true);
    }

    EventType(String wireName, String schemaName, boolean lifeEvent) {
        this.wireName = wireName;
        this.schemaName = schemaName;
        this.lifeEvent = lifeEvent;
    }

    /** Whether the civil registry sends it (and an agency may own or subscribe to it). */
    public boolean lifeEvent() {
        return lifeEvent;
    }

    /** Every life event type, in declaration order. */
    public static List<EventType> lifeEvents() {
        return Arrays.stream(values()).filter(EventType::lifeEvent).toList();
    }

    /** The value of the {@code type} field, e.g. {@code BirthRegistered}. */
    public String wireName() {
        return wireName;
    }

    /** The base name of the JSON Schema file, e.g. {@code birth-registered}. */
    public String schemaName() {
        return schemaName;
    }

    /** The life event type of that name (a {@code CitizenSnapshot} is not one: empty). */
    public static Optional<EventType> fromWireName(String name) {
        return lifeEvents().stream().filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** Every life event's {@link #wireName}, in declaration order: what a configuration may name. */
    public static List<String> wireNames() {
        return lifeEvents().stream().map(EventType::wireName).toList();
    }
}
