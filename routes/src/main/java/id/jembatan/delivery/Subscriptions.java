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
import java.util.TreeMap;

/**
 * The agencies events are delivered to, read from {@code jembatan.agencies.*} and checked once at start-up:
 * an unknown event type, connector or field stops the start with a message naming the key.
 */
@Component
public class Subscriptions {

    private final Map<String, Subscription> byAgency = new LinkedHashMap<>();

    /**
     * @param connectorTypes every {@link ConnectorFactory} bean: the connector types an agency may name
     */
    public Subscriptions(JembatanProperties properties, AccessPolicy policy, List<ConnectorFactory> connectorTypes) {
        Map<String, ConnectorFactory> types = new TreeMap<>();
        connectorTypes.forEach(f -> types.put(f.type(), f));
        String address = properties.getBroker().getEventsAddress();
        properties.getAgencies().forEach((id, agency) -> {
            if (agency.getSubscribes().isEmpty()) {
                return;
            }
            String key = "jembatan.agencies." + id;
            Set<EventType> eventTypes = EnumSet.noneOf(EventType.class);
            for (String name : agency.getSubscribes()) {
                eventTypes.add(EventType.fromWireName(name).orElseThrow(() -> new IllegalStateException(
                        key + ".subscribes: unknown event type '" + name + "'")));
            }
            String connector = agency.getConnector();
            if (connector == null || !types.containsKey(connector)) {
                throw new IllegalStateException(key + ".connector: '" + connector + "' is not one of "
                        + types.keySet());
            }
            List<String> problems = types.get(connector).problems(id, agency);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            FieldFilter filter;
            try {
                filter = FieldFilter.of(id, List.copyOf(policy.receivable(id)), eventTypes);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            byAgency.put(id, new Subscription(id, Set.copyOf(eventTypes), filter, connector, address + "::" + id,
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
