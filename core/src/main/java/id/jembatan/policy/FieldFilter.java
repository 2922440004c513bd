package id.jembatan.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.Citizen;
import id.jembatan.schema.model.CitizenEvent;
import id.jembatan.schema.model.EventType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Data minimisation for deliveries: keeps only the event fields an agency may receive (its policy's {@code receive})
 * and removes the rest before any translation. The envelope ({@code eventId}, {@code type}, {@code occurredAt})
 * and the citizen's {@code nik} always stay: they identify the event and the person.
 */
public final class FieldFilter {

    private static final Set<String> ALWAYS = Set.of("eventId", "type", "occurredAt", "nik");

    /** Field names an agency may be given, as they appear in the canonical JSON. */
    public static final Set<String> FIELDS;

    /** The field without which an event of a type says nothing: an agency subscribing to it must receive it. */
    private static final Map<EventType, String> DEFINING = new EnumMap<>(Map.of(
            EventType.BIRTH_REGISTERED, "nik",
            EventType.DEATH_REGISTERED, "dateOfDeath",
            EventType.ADDRESS_CHANGED, "address",
            EventType.NAME_CHANGED, "fullName",
            EventType.MARRIAGE_REGISTERED, "dateOfMarriage",
            EventType.DIVORCE_REGISTERED, "dateOfDivorce",
            EventType.CITIZEN_SNAPSHOT, "nik"));

    static {
        Set<String> fields = new LinkedHashSet<>();
        Arrays.stream(Citizen.class.getRecordComponents()).map(c -> c.getName()).forEach(fields::add);
        fields.addAll(List.of("dateOfDeath", "placeOfDeath", "spouseNik", "dateOfMarriage", "dateOfDivorce"));
        FIELDS = Set.copyOf(fields);
    }

    private final Set<String> allowed;

    private FieldFilter(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * A filter for one agency, checked against what it subscribes to.
     *
     * @throws IllegalArgumentException naming the unknown field, or the field a subscribed event type needs
     */
    public static FieldFilter of(String agencyId, Collection<String> receives, Collection<EventType> subscribes) {
        List<String> problems = new ArrayList<>();
        for (String field : receives) {
            if (!FIELDS.contains(field)) {
                problems.add("unknown field '" + field + "' (known: " + FIELDS.stream().sorted()
                        .collect(Collectors.joining(", ")) + ")");
            }
        }
        problems.addAll(withheldDefiningFields(receives, subscribes));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("access policy of " + agencyId + ": " + String.join("; ", problems));
        }
        return new FieldFilter(Set.copyOf(receives));
    }

    /**
     * For each subscribed event type whose defining field (a death's {@code dateOfDeath}, a move's {@code address})
     * the agency would not receive: "subscribes to DeathRegistered but does not receive 'dateOfDeath'".
     */
    public static List<String> withheldDefiningFields(Collection<String> receives, Collection<EventType> subscribes) {
        List<String> problems = new ArrayList<>();
        for (EventType type : subscribes) {
            String needed = DEFINING.get(type);
            if (!ALWAYS.contains(needed) && !receives.contains(needed)) {
                problems.add("subscribes to " + type.wireName() + " but does not receive '" + needed + "'");
            }
        }
        return problems;
    }

    public Set<String> allowed() {
        return allowed;
    }

    /** The event with every field the agency may not receive set to null. */
    public CitizenEvent apply(CitizenEvent event) {
        return filtered(CanonicalJson.mapper().valueToTree(event));
    }

    /**
     * {@link #apply(CitizenEvent)} of a published event, from its canonical JSON: parsed once, to the tree the filter
     * works on (a delivery used to read it to an event and turn that into a tree).
     */
    public CitizenEvent apply(String canonicalJson) {
        return filtered((ObjectNode) CanonicalJson.readBody(canonicalJson.getBytes(StandardCharsets.UTF_8)));
    }

    private CitizenEvent filtered(ObjectNode tree) {
        strip(tree);
        JsonNode citizen = tree.get("citizen");
        if (citizen instanceof ObjectNode citizenNode) {
            strip(citizenNode);
        }
        return CanonicalJson.toEvent(tree);
    }

    private void strip(ObjectNode node) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ALWAYS.contains(name) && !name.equals("citizen") && !allowed.contains(name)) {
                names.remove();
            }
        }
    }
}
