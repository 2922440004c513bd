package id.jembatan.delivery;

import id.jembatan.agency.AgenciesSettings;
import id.jembatan.agency.AgencySettings;
import id.jembatan.bus.BrokerSettings;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.policy.AccessPolicy;
import id.jembatan.policy.FieldFilter;
import id.jembatan.schema.model.EventType;
import id.jembatan.settings.InvalidConfigurationException;
import id.jembatan.settings.SettingsProblems;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;
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
 * an unknown event type, connector type or field, or settings of its connector type that are missing or wrong, stop
 * the start with a message naming the key (checked with the rest of the configuration first,
 * {@code ConfigurationCheck}). Each subscribing agency's settings of its connector type are bound from its block into
 * that type's record ({@link ConnectorFactory#settingsType()}).
 */
@Component
@DependsOn("configurationCheck")
public class Subscriptions {

    private final Map<String, Subscription> byAgency = new LinkedHashMap<>();

    /**
     * @param connectorTypes every {@link ConnectorFactory} bean: the connector types an agency may name
     * @param environment    the configuration, to bind each agency's settings of its connector type from
     */
    public Subscriptions(AgenciesSettings agencies, BrokerSettings broker, AccessPolicy policy,
                         List<ConnectorFactory<?>> connectorTypes, Environment environment) {
        Binder binder = Binder.get(environment);
        InvalidConfigurationException.throwIfAny(problems(agencies, policy::receivable, connectorTypes, binder));
        Map<String, ConnectorFactory<?>> types = byType(connectorTypes);
        agencies.agencies().forEach((id, agency) -> {
            if (agency.subscribes().isEmpty()) {
                return;
            }
            Set<EventType> eventTypes = eventTypes(agency);
            FieldFilter filter = FieldFilter.of(id, List.copyOf(policy.receivable(id)), eventTypes);
            Object connectorSettings = bind(binder, id, types.get(agency.connector()));
            byAgency.put(id, new Subscription(id, Set.copyOf(eventTypes), filter, agency.connector(),
                    broker.eventsAddress() + "::" + id, "dlq." + id, agency.delivery(), connectorSettings));
        });
    }

    /**
     * What is wrong with the subscribing agencies: an unknown event type or connector type, the settings of their
     * connector type (that type's record's constraints, then {@link ConnectorFactory#problems}), a policy that
     * withholds the field an event type is about; each problem naming its key.
     *
     * @param receivable the fields each agency receives with events (its policy's {@code receive})
     * @param binder     the configuration, to bind each agency's settings of its connector type from
     */
    public static List<String> problems(AgenciesSettings agencies,
                                        Function<String, ? extends Collection<String>> receivable,
                                        Collection<? extends ConnectorFactory<?>> connectorTypes, Binder binder) {
        Map<String, ConnectorFactory<?>> types = byType(connectorTypes);
        List<String> problems = new ArrayList<>();
        agencies.agencies().forEach((id, agency) -> {
            if (agency.subscribes().isEmpty()) {
                return;
            }
            String key = "jembatan.agencies." + id;
            for (String name : agency.subscribes()) {
                if (EventType.fromWireName(name).isEmpty()) {
                    problems.add(key + ".subscribes: unknown event type '" + name + "' (event types: "
                            + EventType.wireNames() + ")");
                }
            }
            String connector = agency.connector();
            if (connector == null || connector.isBlank()) {
                problems.add(key + ".connector is required for an agency that subscribes (connector types: "
                        + types.keySet() + ")");
            } else if (!types.containsKey(connector)) {
                problems.add(key + ".connector: '" + connector + "' is not one of " + types.keySet());
            } else {
                problems.addAll(connectorProblems(binder, id, types.get(connector)));
            }
            FieldFilter.withheldDefiningFields(receivable.apply(id), eventTypes(agency)).forEach(p -> problems.add(
                    "jembatan.access-policy.agencies." + id + ".receive: " + p + " (" + key + ".subscribes)"));
        });
        return problems;
    }

    private static Map<String, ConnectorFactory<?>> byType(Collection<? extends ConnectorFactory<?>> factories) {
        Map<String, ConnectorFactory<?>> types = new TreeMap<>();
        factories.forEach(f -> types.put(f.type(), f));
        return types;
    }

    /** The agency's settings of this connector type, bound from its block. */
    private static <S> S bind(Binder binder, String agencyId, ConnectorFactory<S> type) {
        return binder.bindOrCreate("jembatan.agencies." + agencyId, type.settingsType());
    }

    private static <S> List<String> connectorProblems(Binder binder, String agencyId, ConnectorFactory<S> type) {
        S settings = bind(binder, agencyId, type);
        List<String> problems = new ArrayList<>(SettingsProblems.of("jembatan.agencies." + agencyId, settings));
        problems.addAll(type.problems(agencyId, settings));
        return problems;
    }

    /** The agency's subscribed event types that exist. */
    private static Set<EventType> eventTypes(AgencySettings agency) {
        Set<EventType> eventTypes = EnumSet.noneOf(EventType.class);
        agency.subscribes().forEach(name -> EventType.fromWireName(name).ifPresent(eventTypes::add));
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
