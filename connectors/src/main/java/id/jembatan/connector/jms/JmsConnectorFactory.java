package id.jembatan.connector.jms;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.CitizenMessageGroups;
import id.jembatan.connector.ConnectorFactory;
import id.jembatan.connector.QueueConnector;
import id.jembatan.connector.Translators;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * {@code jms}: the agency consumes its own queue {@code agency.<id>.events} over AMQP or CORE, as broker user
 * {@code <id>} with one of its API keys as password; the broker lets that user read only that queue. The bus
 * filters and translates each event ({@link JmsQueueConnector}) and the delivery route sends it there.
 */
@Component
public class JmsConnectorFactory implements ConnectorFactory<JmsSettings> {

    public static final String TYPE = "jms";

    private final Translators translators;
    /**
     * Resolved when a connector is made, not before: the settings are checked at start, before the database (which
     * keeps the message groups' key) is ready.
     */
    private final ObjectProvider<CitizenMessageGroups> groups;

    public JmsConnectorFactory(Translators translators, ObjectProvider<CitizenMessageGroups> groups) {
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
    public Class<JmsSettings> settingsType() {
        return JmsSettings.class;
    }

    @Override
    public List<String> problems(String agencyId, JmsSettings settings) {
        return translators.problems(agencyId, settings.format());
    }

    /** Sent by the delivery route in its transaction ({@link #createQueueConnector}), not by a connector. */
    @Override
    public Optional<AgencyConnector> create(String agencyId, JmsSettings settings) {
        return Optional.empty();
    }

    @Override
    public Optional<QueueConnector> createQueueConnector(String agencyId, JmsSettings settings) {
        CitizenMessageGroups messageGroups = groups.getObject();
        return Optional.of(new JmsQueueConnector(queue(agencyId),
                translators.forAgency(agencyId, settings.format()).orElseThrow(), messageGroups::of));
    }
}
