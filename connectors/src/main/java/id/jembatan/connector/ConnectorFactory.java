package id.jembatan.connector;

import java.util.List;
import java.util.Optional;

/**
 * Builds the connectors of one connector type ({@code jembatan.agencies.<id>.connector}) from each agency's settings
 * of that type: the extension point for a new protocol. Every bean of this type is a connector type the configuration
 * may name; the delivery route template is instantiated for each agency whose connector it builds, with no change to
 * the routes.
 *
 * <p>The type's settings are a record of its own ({@link #settingsType()}), bound from the agency's block
 * ({@code jembatan.agencies.<id>}, beside the settings every agency has) and checked with Bean Validation at start
 * with the rest of the configuration: its components are the only settings an agency of this type may set besides the
 * common ones, and their constraints' messages read after the key ({@code is required for this connector type}).
 *
 * @param <S> the connector type's settings record
 */
public interface ConnectorFactory<S> {

    /** The name agencies configure, e.g. {@code json-http}. */
    String type();

    /** The record an agency's settings of this type are bound to. */
    Class<S> settingsType();

    /**
     * What is wrong with an agency's settings that Bean Validation cannot see (a translator that does not exist),
     * each problem naming its key ({@code jembatan.agencies.<id>.format}); checked at start-up with the rest of the
     * configuration, any problem stops the start. It is asked before the bus's agency directory, access policy,
     * database and broker exist: a factory whose {@link #create} needs those takes them through an
     * {@code ObjectProvider} ({@code JmsConnectorFactory}).
     */
    default List<String> problems(String agencyId, S settings) {
        return List.of();
    }

    /**
     * The agency's connector, built once at start-up from its checked settings; empty for a type delivered through a
     * queue ({@link #createQueueConnector}).
     */
    Optional<AgencyConnector> create(String agencyId, S settings);

    /**
     * The agency's queue connector, built once at start-up from its checked settings, for a type whose agency reads a
     * queue of the bus's broker: the delivery route sends what it makes in its own transaction. Empty for every other
     * type.
     */
    default Optional<QueueConnector> createQueueConnector(String agencyId, S settings) {
        return Optional.empty();
    }
}
