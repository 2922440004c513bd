package id.jembatan.schema.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The life events the civil registry publishes; the names are the {@code type} values of the v1 contract. */
public enum EventType {
    BIRTH_REGISTERED("BirthRegistered", "birth-registered"),
    DEATH_REGISTERED("DeathRegistered", "death-registered"),
    ADDRESS_CHANGED("AddressChanged", "address-changed"),
    NAME_CHANGED("NameChanged", "name-changed"),
    MARRIAGE_REGISTERED("MarriageRegistered", "marriage-registered"),
    DIVORCE_REGISTERED("DivorceRegistered", "divorce-registered");

    private final String wireName;
    private final String schemaName;

    EventType(String wireName, String schemaName) {
        this.wireName = wireName;
        this.schemaName = schemaName;
    }

    /** The value of the {@code type} field, e.g. {@code BirthRegistered}. */
    public String wireName() {
        return wireName;
    }

    /** The base name of the JSON Schema file, e.g. {@code birth-registered}. */
    public String schemaName() {
        return schemaName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** Every {@link #wireName}, in declaration order: what a configuration may name. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }
}
