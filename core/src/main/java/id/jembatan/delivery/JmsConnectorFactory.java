package id.jembatan.delivery;

import id.jembatan.bus.MessageGroups;
import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.QueueConnector;
import id.jembatan.connector.jms.JmsQueueConnector;
import id.jembatan.settings.JembatanProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jms}: the agency consumes its own queue {@code agency.<id>.events} over AMQP or CORE, as broker user
 * {@code <id>} with one of its API keys as password; the broker lets that user read only that queue. The bus
 * filters and translates each event ({@link JmsQueueConnector}) and the delivery route sends it there.
 */
@Component
public class JmsConnectorFactory implements ConnectorFactory {

    public static final String TYPE = "jms";

    private final Translators translators;
    /**
     * Resolved when a connector is made, not before: {@link #problems} is asked by the start-up check, before the
     * database, which keeps the message groups' key, is ready.
     */
    private final ObjectProvider<MessageGroups> groups;

    public JmsConnectorFactory(Translators translators, ObjectProvider<MessageGroups> groups) {
        this.translators = translators;
        this.groups = groups;
    }

    /** The queue the agency consumes. */
    public static String queue(String agencyId) {
        return "agency." + agencyId + ".events";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        List<String> problems = new ArrayList<>();
        if (settings.getApiKeys().isEmpty()) {
            problems.add("jembatan.agencies." + agencyId + ".api-keys: a jms agency signs in to the broker as user '"
                    + agencyId + "' with one of its API keys, and has none");
        }
        problems.addAll(translators.problems(agencyId, settings));
        return problems;
    }

    /** Sent by the delivery route in its transaction ({@link #createQueueConnector}), not by a connector. */
    @Override
    public Optional<AgencyConnector> create(Subscription s) {
        return Optional.empty();
    }

    @Override
    public Optional<QueueConnector> createQueueConnector(Subscription s) {
        MessageGroups messageGroups = groups.getObject();
        return Optional.of(new JmsQueueConnector(queue(s.agencyId()),
                translators.forAgency(s.agencyId(), s.settings()).orElseThrow(), messageGroups::of));
    }
}
