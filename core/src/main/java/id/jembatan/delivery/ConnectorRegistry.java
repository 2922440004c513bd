package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The connector of every agency that receives events one by one, built once from its subscription by the
 * {@link ConnectorFactory} of its connector type. Types delivered by a route of their own ({@code csv-drop}) have
 * none here.
 */
@Component
public class ConnectorRegistry {

    private final Map<String, AgencyConnector> connectors = new LinkedHashMap<>();

    public ConnectorRegistry(Subscriptions subscriptions, List<ConnectorFactory<?>> factories) {
        Map<String, ConnectorFactory<?>> byType = factories.stream()
                .collect(Collectors.toMap(ConnectorFactory::type, Function.identity()));
        for (Subscription s : subscriptions.all()) {
            create(byType.get(s.connector()), s).ifPresent(c -> connectors.put(s.agencyId(), c));
        }
    }

    private static <S> Optional<AgencyConnector> create(ConnectorFactory<S> type, Subscription subscription) {
        return type.create(subscription.agencyId(), subscription.connectorSettings(type.settingsType()));
    }

    /** Agencies with a one-by-one connector. */
    public Map<String, AgencyConnector> all() {
        return Map.copyOf(connectors);
    }
}
