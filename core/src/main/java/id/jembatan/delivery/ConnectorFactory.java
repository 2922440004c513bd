package id.jembatan.delivery;

import id.jembatan.connector.AgencyConnector;
import id.jembatan.connector.QueueConnector;
import id.jembatan.settings.JembatanProperties;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Builds the connectors of one connector type ({@code jembatan.agencies.<id>.connector}): the extension point for
 * a new protocol. Every bean of this type is a connector type the configuration may name; the delivery route
 * template is instantiated for each agency whose connector it builds, with no change to the routes.
 */
public interface ConnectorFactory {

    /** The name agencies configure, e.g. {@code json-http}. */
    String type();

    /**
     * What is wrong with an agency's settings for this connector type, each problem naming its key
     * ({@code jembatan.agencies.<id>.url}); checked at start-up with the rest of the configuration, any problem stops
     * the start. It is asked before the bus's agency directory, access policy, database and broker exist: a factory
     * whose {@link #create} needs those takes them through an {@code ObjectProvider} ({@code JmsConnectorFactory}).
     */
    List<String> problems(String agencyId, JembatanProperties.Agency settings);

    /**
     * The agency's one-by-one connector, built once at start-up; empty for a type delivered by a route of its own
     * (file drops are written in batches by {@code CsvDropRoute}) or through a queue ({@link #createQueueConnector}).
     */
    Optional<AgencyConnector> create(Subscription subscription);

    /**
     * The agency's queue connector, for a type whose agency reads a queue of the bus's broker: the delivery route
     * sends what it makes in its own transaction. Empty for every other type.
     */
    default Optional<QueueConnector> createQueueConnector(Subscription subscription) {
        return Optional.empty();
    }

    /** The problem of a required setting left empty, or none. */
    static List<String> required(String agencyId, String setting, Object value) {
        return value == null || value.toString().isBlank()
                ? List.of("jembatan.agencies." + agencyId + "." + setting + " is required for this connector type")
                : List.of();
    }

    /** The problem of a {@code url} left empty or not an absolute http(s) URL with a host, or none. */
    static List<String> httpUrl(String agencyId, String url) {
        List<String> missing = required(agencyId, "url", url);
        if (!missing.isEmpty()) {
            return missing;
        }
        try {
            URI uri = new URI(url.strip());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return List.of();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return List.of("jembatan.agencies." + agencyId + ".url: '" + url + "' is not an http:// or https:// URL"
                + " with a host (like https://agency.example.go.id/jembatan/events)");
    }
}
