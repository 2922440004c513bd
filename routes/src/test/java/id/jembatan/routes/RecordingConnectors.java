package id.jembatan.routes;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.ConnectorFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connector type {@value #TYPE} of the route tests: each agency configured with it gets its own
 * {@link RecordingConnector}, which the test scripts and reads.
 */
final class RecordingConnectors implements ConnectorFactory<RecordingConnectors.Settings> {

    static final String TYPE = "recording";

    private final Map<String, RecordingConnector> byAgency = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public Optional<AgencyConnector> create(String agencyId, Settings settings) {
        return Optional.of(of(agencyId));
    }

    /** A recording agency has no settings of its own; {@code format} is bound and ignored. */
    record Settings(String format) {
    }

    RecordingConnector of(String agency) {
        return byAgency.computeIfAbsent(agency, a -> new RecordingConnector());
    }
}
