package id.jembatan.delivery;

import id.jembatan.policy.AccessPolicy;
import id.jembatan.schema.model.EventType;
import id.jembatan.settings.JembatanProperties;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agencies events are delivered to, read from {@code jembatan.agencies.*} and checked once at start-up:
 * an unknown event type, connector or field stops the start with a message naming the key.
 */
@Component
public class Subscriptions {

    /** Connector types the bus knows. */
    public static final Set<String> CONNECTORS = Set.of("xml-http", "fhir", "csv-drop");

    private final Map<String, Subscription> byAgency = new LinkedHashMap<>();

    public Subscriptions(JembatanProperties properties, AccessPolicy policy) {
        String address = properties.getBroker().getEventsAddress();
        properties.getAgencies().forEach((id, agency) -> {
            if (agency.getSubscribes().isEmpty()) {
                return;
            }
            String key = "jembatan.agencies." + id;
            Set<EventType> types = EnumSet.noneOf(EventType.class);
            for (String name : agency.getSubscribes()) {
                types.add(EventType.fromWireName(name).orElseThrow(() -> new IllegalStateException(
                        key + ".subscribes: unknown event type '" + name + "'")));
            }
            String connector = agency.getConnector();
            if (connector == null || !CONNECTORS.contains(connector)) {
                throw new IllegalStateException(key + ".connector: '" + connector + "' is not one of " + CONNECTORS);
            }
            if (connector.equals("csv-drop") ? agency.getDirectory() == null : agency.getUrl() == null) {
                throw new IllegalStateException(key + (connector.equals("csv-drop") ? ".directory" : ".url")
                        + " is required for connector " + connector);
            }
            FieldFilter filter;
            try {
                filter = FieldFilter.of(id, List.copyOf(policy.receivable(id)), types);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            byAgency.put(id, new Subscription(id, Set.copyOf(types), filter, connector, address + "::" + id,
                    "dlq." + id, agency));
        });
    }

    public List<Subscription> all() {
        return new ArrayList<>(byAgency.values());
    }

    public Optional<Subscription> get(String agencyId) {
        return Optional.ofNullable(byAgency.get(agencyId));
    }

    public Subscription require(String agencyId) {
        return get(agencyId).orElseThrow(() -> new IllegalArgumentException("no subscription for " + agencyId));
    }
}
