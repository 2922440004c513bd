package id.jembatan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import id.jembatan.schema.json.CanonicalJson;
import id.jembatan.schema.model.CitizenEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of the personal data an event carries, for its audit entries: the event's own fields and its citizen's,
 * named as in an agency's {@code receives} list ({@code address} is one field), without the envelope
 * ({@code eventId}, {@code type}, {@code occurredAt}), which says nothing about the person.
 */
public final class EventFields {

    private static final Set<String> ENVELOPE = Set.of("eventId", "type", "occurredAt");

    private EventFields() {
    }

    /** The fields present (not null) in {@code event}, in the order of the canonical JSON. */
    public static List<String> of(CitizenEvent event) {
        List<String> names = new ArrayList<>();
        collect(CanonicalJson.mapper().valueToTree(event), names);
        return names;
    }

    private static void collect(ObjectNode node, List<String> names) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (ENVELOPE.contains(field.getKey()) || field.getValue().isNull()) {
                continue;
            }
            if (field.getKey().equals("citizen") && field.getValue() instanceof ObjectNode citizen) {
                collect(citizen, names);
            } else {
                names.add(field.getKey());
            }
        }
    }
}
