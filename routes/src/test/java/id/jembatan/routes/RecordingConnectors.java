package id.jembatan.routes;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.delivery.ConnectorFactory;
import id.jembatan.delivery.Subscription;
import id.jembatan.settings.JembatanProperties;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector type {@value #TYPE} of the route tests: each agency configured with it gets its own
 * {@link RecordingConnector}, which the test scripts and reads.
 */
final class RecordingConnectors implements ConnectorFactory {

    static final String TYPE = "recording";

    private final Map<String, RecordingConnector> byAgency = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> problems(String agencyId, JembatanProperties.Agency settings) {
        return List.of();
    }

    @Override
    public Optional<AgencyConnector> create(Subscription subscription) {
        return Optional.of(of(subscription.agencyId()));
    }

    RecordingConnector of(String agency) {
        return byAgency.computeIfAbsent(agency, a -> new RecordingConnector());
    }
}
