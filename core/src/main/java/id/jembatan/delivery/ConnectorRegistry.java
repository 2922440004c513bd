package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.QueueConnector;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The connector of every agency that receives events, built once from its subscription by the
 * {@link ConnectorFactory} of its connector type: one that sends itself ({@link #all}) or one whose agency reads a
 * queue of the bus's broker ({@link #queues}).
 */
@Component
public class ConnectorRegistry {

    private final Map<String, AgencyConnector> connectors = new LinkedHashMap<>();
    private final Map<String, QueueConnector> queues = new LinkedHashMap<>();

    public ConnectorRegistry(Subscriptions subscriptions, List<ConnectorFactory<?>> factories) {
        Map<String, ConnectorFactory<?>> byType = factories.stream()
                .collect(Collectors.toMap(ConnectorFactory::type, Function.identity()));
        for (Subscription s : subscriptions.all()) {
            register(byType.get(s.connector()), s);
        }
    }

    private <S> void register(ConnectorFactory<S> type, Subscription subscription) {
        String agencyId = subscription.agencyId();
        S settings = subscription.connectorSettings(type.settingsType());
        type.create(agencyId, settings).ifPresent(c -> connectors.put(agencyId, c));
        type.createQueueConnector(agencyId, settings).ifPresent(c -> queues.put(agencyId, c));
    }

    /** Agencies with a connector that sends itself. */
    public Map<String, AgencyConnector> all() {
        return Map.copyOf(connectors);
    }

    /** Agencies that read a queue of the bus's broker, with their connector. */
    public Map<String, QueueConnector> queues() {
        return Map.copyOf(queues);
    }
}
