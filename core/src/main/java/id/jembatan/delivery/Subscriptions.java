package id.jembatan.delivery;

import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.FieldFilter;
import id.jembatan.schema.model.EventType;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.JembatanProperties;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The agencies events are delivered to, read from {@code jembatan.agencies.*} and checked once at start-up:
 * an unknown event type, connector or field stops the start with a message naming the key (checked with the rest
 * of the configuration first, {@code ConfigurationCheck}).
 */
@Component
@DependsOn("configurationCheck")
public class Subscriptions {

    private final Map<String, Subscription> byAgency = new LinkedHashMap<>();

    /**
     * @param connectorTypes every {@link ConnectorFactory} bean: the connector types an agency may name
     */
    public Subscriptions(JembatanProperties properties, AccessPolicy policy, List<ConnectorFactory> connectorTypes) {
        InvalidConfigurationException.throwIfAny(problems(properties, policy::receivable, connectorTypes));
        String address = properties.getBroker().getEventsAddress();
        properties.getAgencies().forEach((id, agency) -> {
            if (agency.getSubscribes().isEmpty()) {
                return;
            }
            Set<EventType> eventTypes = eventTypes(agency);
            FieldFilter filter = FieldFilter.of(id, List.copyOf(policy.receivable(id)), eventTypes);
            byAgency.put(id, new Subscription(id, Set.copyOf(eventTypes), filter, agency.getConnector(),
                    address + "::" + id, "dlq." + id, agency));
        });
    }

    /**
     * What is wrong with the subscribing agencies: an unknown event type or connector type, the settings their
     * connector type finds missing or wrong ({@link ConnectorFactory#problems}), a policy that withholds the field an
     * event type is about; each problem naming its key.
     *
     * @param receivable the fields each agency receives with events (its policy's {@code receive})
     */
    public static List<String> problems(JembatanProperties properties,
                                        Function<String, ? extends Collection<String>> receivable,
                                        Collection<ConnectorFactory> connectorTypes) {
        Map<String, ConnectorFactory> types = new TreeMap<>();
        connectorTypes.forEach(f -> types.put(f.type(), f));
        List<String> problems = new ArrayList<>();
        properties.getAgencies().forEach((id, agency) -> {
            if (agency.getSubscribes().isEmpty()) {
                return;
            }
            String key = "jembatan.agencies." + id;
            for (String name : agency.getSubscribes()) {
                if (EventType.fromWireName(name).isEmpty()) {
                    problems.add(key + ".subscribes: unknown event type '" + name + "' (event types: "
                            + EventType.wireNames() + ")");
                }
            }
            String connector = agency.getConnector();
            if (connector == null || connector.isBlank()) {
                problems.add(key + ".connector is required for an agency that subscribes (connector types: "
                        + types.keySet() + ")");
            } else if (!types.containsKey(connector)) {
                problems.add(key + ".connector: '" + connector + "' is not one of " + types.keySet());
            } else {
                problems.addAll(types.get(connector).problems(id, agency));
            }
            FieldFilter.withheldDefiningFields(receivable.apply(id), eventTypes(agency)).forEach(p -> problems.add(
                    "jembatan.access-policy.agencies." + id + ".receive: " + p + " (" + key + ".subscribes)"));
        });
        return problems;
    }

    /** The agency's subscribed event types that exist. */
    private static Set<EventType> eventTypes(JembatanProperties.Agency agency) {
        Set<EventType> eventTypes = EnumSet.noneOf(EventType.class);
        agency.getSubscribes().forEach(name -> EventType.fromWireName(name).ifPresent(eventTypes::add));
        return eventTypes;
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
